package dev.consentry.prep;

import dev.consentry.profile.IdentifierRead;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifierParserTest {
    // `service call iphonesubinfo 1` on a handset whose IMEI is 865123045678901.
    private static final String PARCEL = """
            Result: Parcel(
              0x00000000: 00000000 0000000f 00360038 00310035 '........8.6.5.1.'
              0x00000010: 00330032 00340030 00360035 00380037 '2.3.0.4.5.6.7.8.'
              0x00000020: 00300039 00000031                   '9.0.1...        ')
            """;

    @Test
    void readsString16FromParcelDump() {
        assertThat(IdentifierParser.parse(new IdentifierRead("service call iphonesubinfo 1", "parcel-utf16"), PARCEL))
                .contains("865123045678901");
    }

    @Test
    void parcelWithExceptionStatusIsNoValue() {
        String denied = "Result: Parcel(\n  0x00000000: ffffffb5 00000020 00650052 00750071 '.... ...R.e.q.u.')";
        assertThat(IdentifierParser.parcelString16(denied)).isEmpty();
    }

    @Test
    void nullString16IsNoValue() {
        assertThat(IdentifierParser.parcelString16("Result: Parcel(00000000 ffffffff   '........')")).isEmpty();
        assertThat(IdentifierParser.parcelString16(
                "Result: Parcel(\n  0x00000000: 00000000 ffffffff '........')")).isEmpty();
    }

    @Test
    void readsLabelledLineFromDumpsys() {
        String dumpsys = "Phone Subscriber Info:\n  Phone Type = GSM\n  Device ID = 865123045678901\n";
        assertThat(IdentifierParser.parse(new IdentifierRead("dumpsys iphonesubinfo", "line:Device ID"), dumpsys))
                .contains("865123045678901");
        assertThat(IdentifierParser.parse(new IdentifierRead("dumpsys iphonesubinfo", "line:Line1 Number"), dumpsys))
                .isEmpty();
    }

    @Test
    void readsTheMacAddressAndNotAnErrorMessage() {
        IdentifierRead mac = new IdentifierRead("cat /sys/class/net/wlan0/address", "mac");
        assertThat(IdentifierParser.parse(mac, "64:09:80:3a:b2:c1\n")).contains("64:09:80:3a:b2:c1");
        assertThat(IdentifierParser.parse(mac, "/system/bin/sh: cat: /sys/class/net/wlan0/address: No such file or"
                + " directory\n")).isEmpty();
        assertThat(IdentifierParser.parse(mac, "64:09:80:3a:b2\n")).isEmpty();
    }

    @Test
    void unknownParseMethodIsRejectedWithTheAlternatives() {
        assertThatThrownBy(() -> IdentifierParser.parse(new IdentifierRead("x", "regex"), "1"))
                .hasMessageContaining("unknown parse method 'regex'").hasMessageContaining("parcel-utf16");
    }
}
