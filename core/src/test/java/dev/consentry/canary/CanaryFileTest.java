package dev.consentry.canary;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
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
}
