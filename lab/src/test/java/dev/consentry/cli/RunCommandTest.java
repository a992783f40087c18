package dev.consentry.cli;

import dev.consentry.verdict.FlowResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `consentry run` refuses bad input before it starts any process. */
class RunCommandTest {
    @TempDir
    Path home;

    @Test
    void aLongReasonIsShortenedOnTheConsoleAtAWordAndPointsToTheSummary() {
        String doubt = "TLS to configuration.samsungcloud.com:443 (samsung, vendor) could not be decrypted at"
                + " 2026-11-24T18:30:13.207896Z (step prep); consent then: granted none; declined none. ";
        String line = RunCommand.line(FlowResult.inconclusive("galaxy-s23-oneui6", "contact-import", List.of(),
                doubt.repeat(3)));
        assertThat(line).startsWith("INCONCLUSIVE  galaxy-s23-oneui6").contains(doubt)
                .endsWith("declined none. TLS to ... (full reason in summary.json)").hasSizeLessThan(300);
        assertThat(RunCommand.shortened("no personal data left the handset"))
                .isEqualTo("no personal data left the handset");
    }

    @Test
    void aBrokenDeviceProfileIsAUsageErrorNamingFileLineAndField() throws Exception {
        Path project = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        Files.createDirectories(home.resolve("policies"));
        Files.copy(project.resolve("policies/default.yaml"), home.resolve("policies/default.yaml"));
        Path profiles = Files.createDirectories(home.resolve("device-profiles"));
        Files.writeString(profiles.resolve("broken-handset.yaml"), """
                manufacturer: Xiaomi
                model: Redmi 1S
                uiDialect: [not, a, dialect]
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Consentry.run(new String[]{"--home", home.toString(), "run", "--reports",
                        home.resolve("reports").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(message).isEqualTo(2);
        assertThat(message).contains("device profiles cannot be used").contains("broken-handset.yaml:3")
                .contains("uiDialect");
        assertThat(home.resolve("reports")).doesNotExist();
    }

    @Test
    void anAccessPointProfileIsRefusedByTheEmbeddedLabBeforeAnythingStarts() throws Exception {
        Path project = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        Files.createDirectories(home.resolve("policies"));
        Files.copy(project.resolve("policies/default.yaml"), home.resolve("policies/default.yaml"));
        Path profiles = Files.createDirectories(home.resolve("device-profiles"));
        Files.writeString(profiles.resolve("redmi-1s-miui5-2014.yaml"),
                Files.readString(project.resolve("device-profiles/redmi-1s-miui5-2014.yaml"))
                        + "capture: { mode: access-point, interface: wlan0, address: 192.168.50.23, port: 8091 }\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Consentry.run(new String[]{"--home", home.toString(), "run", "--reports",
                        home.resolve("reports").toString()}, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(message).isEqualTo(2);
        assertThat(message).contains("redmi-1s-miui5-2014.yaml: capture: access-point needs the lab's access point");
        assertThat(home.resolve("reports")).doesNotExist();
    }
}
