package dev.consentry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code consentry} launcher, the README's two commands go through: run by bash on a copy of it in a project of a
 * few files, with {@code mvn}, {@code java} and {@code scripts/setup.sh} replaced by scripts that log what they were
 * asked. What is checked is its own logic: build only when sources or built files changed, touch what changed, start
 * with {@code clean} when a source is gone, redo a failed build, hand the CLI its classpath and options.
 */
class LauncherIT {
    private static final Path SCRIPT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("consentry");
    private static final String PACKAGE = "mvn -B -q package -DskipTests";

    @TempDir
    Path project;
    private Path log;
    private Path bin;

    /** What one launch did: its exit code, its error output, and the lines the stand-ins logged. */
    record Launch(int exit, String stderr, List<String> calls) {
        long builds() {
            return calls.stream().filter(c -> c.startsWith("mvn")).count();
        }
    }

    @BeforeEach
    void project() throws IOException {
        Files.copy(SCRIPT, project.resolve("consentry"), StandardCopyOption.COPY_ATTRIBUTES);
        log = project.resolve("calls.log");
        bin = Files.createDirectories(project.resolve("stand-ins"));
        write(project.resolve("pom.xml"), "<project/>");
        write(project.resolve("core/src/main/java/A.java"), "class A {}");
        write(project.resolve("core/src/main/java/B.java"), "class B {}");
        executable(project.resolve("scripts/setup.sh"), "echo setup >> \"$LOG\"");
        // A build leaves what the launcher runs: the classpath file, suites' classes, the Grid's jars, the tools.
        executable(bin.resolve("mvn"), String.join("\n",
                "echo \"mvn $*\" >> \"$LOG\"",
                "[ -z \"${FAIL_BUILD:-}\" ] || { echo 'BUILD FAILURE' >&2; exit 1; }",
                "mkdir -p suites/target/classes grid-runtime/target/lib .consentry/tools lib",
                "echo built > suites/target/classes/X.class",
                "echo jar > lib/dep.jar",
                "echo jar > grid-runtime/target/lib/grid.jar",
                "echo tool > .consentry/tools/allure",
                "echo \"$PWD/lib/dep.jar\" > suites/target/runtime-classpath.txt"));
        executable(bin.resolve("java"), "echo \"java $*\" >> \"$LOG\"");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void executable(Path file, String body) throws IOException {
        write(file, "#!/usr/bin/env bash\nset -eu\n" + body + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    private Launch launch(Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of("bash", project.resolve("consentry").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("LOG", log.toString());
        pb.environment().remove("CONSENTRY_REBUILD");
        pb.environment().remove("CONSENTRY_VECTOR");
        pb.environment().putAll(env);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Launch(p.exitValue(), stderr, calls);
    }

    private Launch launch(String... args) throws Exception {
        return launch(Map.of(), args);
    }

    @Test
    void buildsOnceThenRunsTheCliWithItsClasspathUntilSomethingChanges() throws Exception {
        Launch first = launch("help");
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.calls()).containsExactly("setup", PACKAGE, "java -Djava.awt.headless=true --add-modules "
                + "jdk.incubator.vector -cp " + project.resolve("suites/target/classes") + ":"
                + project.resolve("lib/dep.jar") + " dev.consentry.cli.Consentry --home " + project + " help");

        Launch second = launch("analyze", "x.har");
        assertThat(second.builds()).isZero();
        assertThat(second.calls()).last().asString().endsWith("--home " + project + " analyze x.har");
    }

    @Test
    void anEditedSourceIsTouchedSoThatMavenRebuildsIt() throws Exception {
        assertThat(launch("help").builds()).isOne();
        Path a = project.resolve("core/src/main/java/A.java");
        // An edit that keeps an old modification time (a checkout, a copy with -p): Maven alone would skip it.
        Files.writeString(a, "class A { int x; }");
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Path b = project.resolve("core/src/main/java/B.java");
        Files.setLastModifiedTime(b, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        Launch after = launch("help");
        assertThat(after.calls()).contains(PACKAGE);
        assertThat(Files.getLastModifiedTime(a).toInstant()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(Files.getLastModifiedTime(b).toInstant()).as("an unchanged source is left alone")
                .isEqualTo(Instant.parse("2001-01-01T00:00:00Z"));
        assertThat(launch("help").builds()).isZero();
    }

    @Test
    void aDeletedSourceMakesTheBuildStartWithClean() throws Exception {
        assertThat(launch("help").builds()).isOne();
        Files.delete(project.resolve("core/src/main/java/B.java"));
        assertThat(launch("help").calls()).contains("mvn -B -q clean package -DskipTests");
    }

    @Test
    void aBuildByHandSinceTheLastIsNoticed() throws Exception {
        assertThat(launch("help").builds()).isOne();
        Files.writeString(project.resolve("suites/target/classes/X.class"), "compiled by hand, other sources");
        assertThat(launch("help").builds()).isOne();
    }

    @Test
    void aFailedBuildStopsWithExitTwoAndIsRedoneNextTime() throws Exception {
        assertThat(launch("help").builds()).isOne();
        Files.writeString(project.resolve("core/src/main/java/A.java"), "class A { broken");

        Launch failed = launch(Map.of("FAIL_BUILD", "1"), "help");
        assertThat(failed.exit()).isEqualTo(2);
        assertThat(failed.stderr()).contains("consentry: the build failed (" + PACKAGE + ")");
        assertThat(failed.calls()).noneMatch(c -> c.startsWith("java"));

        assertThat(launch("help").calls()).contains(PACKAGE);
    }

    @Test
    void rebuildOnRequestAndTheCliWithoutTheVectorModule() throws Exception {
        assertThat(launch("help").builds()).isOne();
        assertThat(launch(Map.of("CONSENTRY_REBUILD", "1"), "help").builds()).isOne();
        Launch plain = launch(Map.of("CONSENTRY_VECTOR", "0"), "help");
        assertThat(plain.builds()).isZero();
        assertThat(plain.calls()).last().asString().startsWith("java -Djava.awt.headless=true -cp ")
                .doesNotContain("jdk.incubator.vector");
    }

    @Test
    void testIsSetupThenMavenVerifyWithItsArgumentsAndNoBuildOfItsOwn() throws Exception {
        Launch t = launch("test", "-Dit.test=SomeIT");
        assertThat(t.exit()).isZero();
        assertThat(t.calls()).containsExactly("setup", "mvn -B verify -Dit.test=SomeIT");
    }
}
