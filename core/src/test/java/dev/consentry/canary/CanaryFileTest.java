package dev.consentry.canary;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CanaryFileTest {
    @Test
    void readsKindsValuesAndOrigins() {
        List<Canary> cs = CanaryFile.parse(new StringReader("""
                canaries:
                  - kind: imei
                    value: "865123045678901"
                  - kind: contact_phone
                    value: "+919876500001"
                    origin: "planted: contact 1"
                """), "c.yaml");
        assertThat(cs).containsExactly(Canary.of(CanaryKind.IMEI, "865123045678901"),
                new Canary(CanaryKind.CONTACT_PHONE, "+919876500001", "planted: contact 1"));
    }

    @Test
    void reportsEveryProblemWithFileLineAndField() {
        CanaryFileException e = catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("""
                        canaries:
                          - kind: imie
                            value: "865123045678901"
                          - kind: imei
                            value: "1234"
                          - kind: serial
                            colour: red
                          - just a string
                        """), "c.yaml"));
        assertThat(e.problems()).containsExactly(
                "c.yaml:2:11: canaries[0].kind: unknown kind 'imie'; known: imei, imsi, iccid, phone_number,"
                        + " contact_phone, contact_email, contact_name, android_id, serial, wifi_mac, advertising_id,"
                        + " account_email, location",
                "c.yaml:5:12: canaries[1].value: imei canary \"1234\" is too short to match safely: 4 digits, at"
                        + " least 6 needed",
                "c.yaml:7:5: canaries[2].colour: unknown field; allowed: kind, origin, value",
                "c.yaml:6:5: canaries[2].value: missing",
                "c.yaml:8:5: canaries[3]: expected a mapping");
                // The too-short IMEI: refused with the engine's own reason, at the value's line.
        CanaryFileException shortValue = catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("canaries:\n  - kind: imei\n    value: \"1234\"\n"), "s.yaml"));
        assertThat(shortValue.problems()).singleElement().asString()
                .startsWith("s.yaml:3:12: canaries[0].value: imei canary \"1234\" is too short");
    }

    @Test
    void brokenYamlAndAMissingListAreNamed() {
        assertThat(catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("canaries: [\n  - kind"), "b.yaml")).getMessage()).startsWith("b.yaml:").contains("not valid YAML");
        assertThat(catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("canary:\n  - kind: imei\n"), "m.yaml")).getMessage())
                .contains("m.yaml:1:1: canary: unknown field");
        assertThat(catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader(""), "e.yaml")).getMessage()).isEqualTo("e.yaml: empty file; expected a 'canaries:' list");
    }

    @Test
    void anEmptyListIsAProblemNotAScanThatFindsNothing() {
        assertThat(catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("canaries: []\n"), "n.yaml")).problems())
                .containsExactly("n.yaml:1:11: canaries: the list is empty; nothing would be searched for");
    }

    @Test
    void theSameValueTwiceIsNamedWithTheFirst() {
        CanaryFileException e = catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("""
                        canaries:
                          - kind: imei
                            value: "865123045678901"
                          - kind: contact_email
                            value: "asha@example.com"
                          - kind: imei
                            value: "86-512304-567890-1"
                          - kind: account_email
                            value: "Asha@Example.com"
                        """), "d.yaml"));
        // Another kind with the same value is a different claim (account vs contact), not a duplicate.
        assertThat(e.problems()).containsExactly(
                "d.yaml:7:12: canaries[2].value: the same imei as canaries[0] (line 3)");
    }

    @Test
    void aValueThatCannotBeItsKindIsAProblemOfTheFile() {
        CanaryFileException e = catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.parse(
                new StringReader("canaries:\n  - kind: imei\n    value: 8.65123045678901e14\n"), "f.yaml"));
        assertThat(e.problems()).singleElement().asString().startsWith("f.yaml:3:12: canaries[0].value: imei canary"
                + " \"8.65123045678901e14\" is not an IMEI: expected 14-16 digits");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "canaries:\n  - kind: contact_name\n    value: \"Jos\u00e9 Ram\u00edrez\"\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(catchThrowableOfType(CanaryFileException.class, () -> CanaryFile.load(file)).getMessage())
                .isEqualTo(file + ":3:16: not UTF-8 text (byte 0xe9 at offset 48): a YAML file must be UTF-8");
        Files.write(file, ("\uFEFFcanaries:\n  - kind: contact_name\n    value: \"Jos\u00e9 Ram\u00edrez\"\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(CanaryFile.load(file)).extracting(Canary::value).containsExactly("Jos\u00e9 Ram\u00edrez");
    }
}
