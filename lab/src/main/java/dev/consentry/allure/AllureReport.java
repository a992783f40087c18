package dev.consentry.allure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns allure-results into HTML with Allure's own generator (allure-commandline from Maven Central, so it works
 * offline). Single-file mode, so the report opens from a plain file as well as from a web server.
 */
public final class AllureReport {
    private final Path allureHome;

    /** @param allureHome the unpacked allure-commandline, holding bin/allure */
    public AllureReport(Path allureHome) {
        this.allureHome = Objects.requireNonNull(allureHome, "allureHome");
    }

    /** Finds allure-&lt;version&gt; under the tools directory the build unpacks it into. */
    public static AllureReport inTools(Path toolsDir) {
        try (Stream<Path> s = Files.list(toolsDir)) {
            return new AllureReport(s.filter(p -> p.getFileName().toString().startsWith("allure-"))
                    .filter(p -> Files.isRegularFile(p.resolve("bin/allure"))).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no allure-commandline under " + toolsDir
                            + ": build the lab module first (mvn -pl lab package)")));
        } catch (IOException e) {
            throw new IllegalStateException("no allure-commandline under " + toolsDir + " (" + e.getMessage()
                    + "): build the lab module first (mvn -pl lab package)", e);
        }
    }

    /** Files Allure reads beside the results: categories, environment, executor. */
    public void describe(Path results, Map<String, String> environment, String executorName) throws IOException {
        describe(results, environment, new Executor(executorName, "consentry", null, null, null, null));
    }

    public void describe(Path results, Map<String, String> environment, Executor executor) throws IOException {
        Files.createDirectories(results);
        try (var in = AllureReport.class.getResourceAsStream("categories.json")) {
            Files.write(results.resolve("categories.json"), Objects.requireNonNull(in, "categories.json").readAllBytes());
        }
        StringBuilder env = new StringBuilder();
        environment.forEach((k, v) -> env.append(propertiesEscape(k.replace(' ', '_'), true)).append(" = ")
                .append(propertiesEscape(v, false)).append('\n'));
        Files.writeString(results.resolve("environment.properties"), env.toString(), StandardCharsets.ISO_8859_1);
        executor.write(results.resolve("executor.json"));
    }

    /** .properties is ISO-8859-1 with backslash escapes: a fingerprint's or a path's characters must survive. */
    static String propertiesEscape(String s, boolean key) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '=', ':', '#', '!' -> out.append(key ? "\\" + c : String.valueOf(c));
                default -> {
                    if (c < 0x20 || c > 0xff) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Generates the single-file report {@code out/index.html} and keeps the trend across runs: history from earlier
     * runs is fed in from {@code history}, and this run's is saved back there. Single-file mode writes no history,
     * so a regular report is generated too, into {@code fullReport}, which is also what `allure open` serves.
     * Any PEM private key found in the results is cut out first.
     */
    public Path generate(Path results, Path out, Path fullReport, Path history, String reportName)
            throws IOException, InterruptedException {
        PrivateKeyScrub.scrub(results);
        if (Files.isDirectory(history)) {
            copyTree(history, results.resolve("history"));
        }
        run(List.of("generate", "--clean", "--name", reportName, "-o", fullReport.toString(), results.toString()),
                fullReport.resolve("index.html"));
        Path newHistory = fullReport.resolve("history");
        if (Files.isDirectory(newHistory)) {
            copyTree(newHistory, history);
        }
        return run(List.of("generate", "--single-file", "--clean", "--name", reportName, "-o", out.toString(),
                results.toString()), out.resolve("index.html"));
    }

    private Path run(List<String> args, Path expected) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(allureHome.resolve("bin/allure").toString());
        cmd.addAll(args);
        Path log = Files.createTempFile("allure-generate", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("allure generate took over 3 minutes: " + String.join(" ", cmd));
            }
            String output = Files.readString(log);
            if (p.exitValue() != 0 || !Files.isRegularFile(expected)) {
                throw new IOException("allure generate failed (exit " + p.exitValue() + "): " + String.join(" ", cmd)
                        + "\n" + output);
            }
            return expected;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
