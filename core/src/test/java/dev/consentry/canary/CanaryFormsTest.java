package dev.consentry.canary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanaryFormsTest {
    @Test
    void imeiTravelsWithAndWithoutItsCheckDigitAndSeparators() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.IMEI, "865123045678901")))
                .startsWith("865123045678901", "86512304567890")
                .contains("86-512304-567890-1", "86-512304-567890", "86 512304 567890 1", "86512304-567890-1",
                        "86512304 567890", "865123-04-567890-1", "865123 04 567890")
                .hasSize(14).doesNotHaveDuplicates();
        // Typed with separators, it is the same IMEI.
        assertThat(CanaryForms.of(Canary.of(CanaryKind.IMEI, "86-512304-567890-1")))
                .contains("865123045678901", "86512304567890", "86 512304 567890 1");
    }

    @Test
    void phoneNumberFormsIncludeE164DigitsNationalAndGrouped() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001")))
                .startsWith("+919876500001")
                .contains("919876500001", "9876500001", "00919876500001", "+91 9876500001", "+91-9876500001",
                        "98765 00001", "98765-00001", "+91 98765 00001", "987-650-0001", "(987) 650-0001")
                .doesNotHaveDuplicates()
                .allSatisfy(f -> assertThat(f.replaceAll("\\D", "")).contains("9876500001"));
    }

    @ParameterizedTest
    @CsvSource({
            "+14155550123, 1, 4155550123",
            "+74951234567, 7, 4951234567",
            "+447700900123, 44, 7700900123",
            "+8613812345678, 86, 13812345678",
            "+351912345678, 351, 912345678",
            "+9715012345678, 971, 5012345678",
    })
    void nationalNumberDropsTheCallingCode(String e164, String cc, String national) {
        assertThat(CallingCodes.of(e164.substring(1))).contains(cc);
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_PHONE, e164))).contains(national);
    }

    @Test
    void aNumberWithoutCountryCodeIsMatchedAsGiven() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_PHONE, "98765 00001")))
                .contains("98765 00001", "9876500001", "98765-00001", "987 650 0001")
                .noneMatch(f -> f.startsWith("+"));
    }

    @Test
    void emailIsAlsoMatchedLowerCase() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_EMAIL, "Kiran.Canary@Example.org")))
                .containsExactly("Kiran.Canary@Example.org", "kiran.canary@example.org", "KIRAN.CANARY@EXAMPLE.ORG");
    }

    @Test
    void namesAndOtherKindsTravelAsTyped() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, "Canary Asha 4821")))
                .containsExactly("Canary Asha 4821");
        assertThat(CanaryForms.of(Canary.of(CanaryKind.ANDROID_ID, "3f1a9c20d84e7b65")))
                .containsExactly("3f1a9c20d84e7b65", "3F1A9C20D84E7B65");
        assertThat(CanaryForms.of(Canary.of(CanaryKind.IMSI, "404 45 1234567890"))).containsExactly(
                "404 45 1234567890", "404451234567890");
        assertThat(CanaryForms.of(Canary.of(CanaryKind.ICCID, "8991101200003204514"))).containsExactly(
                "8991101200003204514", "899110120000320451");
        assertThat(CanaryForms.of(Canary.of(CanaryKind.SERIAL, "Rk3a9X02"))).containsExactly(
                "Rk3a9X02", "rk3a9x02", "RK3A9X02");
    }

    @Test
    void macAddressWithColonsDashesOrNothingInEitherCase() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.WIFI_MAC, "A4:5E:60:C1:02:9F"))).containsExactlyInAnyOrder(
                "A4:5E:60:C1:02:9F", "a45e60c1029f", "a4:5e:60:c1:02:9f", "a4-5e-60-c1-02-9f",
                "A45E60C1029F", "A4-5E-60-C1-02-9F");
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.WIFI_MAC, "a4:5e:60:c1:02")))
                .hasMessageContaining("wifi_mac").hasMessageContaining("12 hex digits, got 10");
    }

    @Test
    void advertisingIdWithAndWithoutDashesInEitherCase() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.ADVERTISING_ID, "38400000-8cf0-11bd-b23e-10b96e40000d")))
                .containsExactly("38400000-8cf0-11bd-b23e-10b96e40000d", "38400000-8cf0-11bd-b23e-10b96e40000d"
                        .replace("-", ""), "38400000-8CF0-11BD-B23E-10B96E40000D", "384000008CF011BDB23E10B96E40000D");
    }

    @Test
    void locationAsPairAndAsSeparateCoordinatesTruncatedAndRounded() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.LOCATION, "12.97159,77.59457")))
                .contains("12.97159,77.59457", "12.97159, 77.59457", "12.97159", "77.59457")
                .doesNotHaveDuplicates();
        assertThat(CanaryForms.of(Canary.of(CanaryKind.LOCATION, "12.9716, 77.59457")))
                .contains("12.9716,77.5945", "12.9716,77.5946", "77.5945", "77.5946");
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.LOCATION, "12.97,77.59")))
                .hasMessageContaining("location").hasMessageContaining("too coarse");
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.LOCATION, "north,77.59457")))
                .hasMessageContaining("not \"lat,lon\"");
    }

    @Test
    void locationAsWholeNumbersOfE7AndE6Degrees() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.LOCATION, "12.9716,77.5946")))
                .contains("129716000", "12971600", "775946000", "77594600").doesNotHaveDuplicates();
        // As a client computes it from the double: 10.0049 * 1e7 is 100048999.99..., rounded or cut by a cast.
        assertThat(CanaryForms.of(Canary.of(CanaryKind.LOCATION, "-10.0049,-43.17290")))
                .contains("-100049000", "-100048999", "-10004900", "-431729000", "-43172900");
        // Under 8 digits (E6 under 10 degrees) would match ordinary numbers: 1.2345 has only its E7.
        assertThat(CanaryForms.of(Canary.of(CanaryKind.LOCATION, "1.2345,77.5946")))
                .contains("12345000").doesNotContain("1234500");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "android_id | 9774d56d682e549c | is too common to match safely: a value many handsets share",
            "wifi_mac | 02:00:00:00:00:00 | is too common to match safely: a value many handsets share",
            "advertising_id | 00000000-0000-0000-0000-000000000000 | is too common to match safely: a value many",
            "imei | 000000000000000 | is too common to match safely: one repeated character",
            "contact_phone | 123456789 | is too common to match safely: a run of consecutive digits",
            "serial | unknown | is too common to match safely: a value many handsets share",
            "imei | 8.65123045678901e14 | is not an IMEI",
            "imei | 86512304567890123 | is not an IMEI",
            "imei | 865123045678901X | is not an IMEI",
            "imsi | 4600012345678901 | is not an IMSI",
            "iccid | 8986001234567 | is not an ICCID",
            "phone_number | tel:+919876500001 | is not a phone number",
            "contact_phone | +91 98765+00001 | is not a phone number",
            "contact_email | asha.example.com | is not an e-mail address",
            "account_email | a@b@example.com | is not an e-mail address",
            "android_id | 9f3c2a71b04e5d86a | is not an Android ID",
            "android_id | 9f3c2a71-b04e5d86 | is not an Android ID",
            "wifi_mac | 3c:5a:b4:1g:22:7e:9f | is not a MAC address",
            "advertising_id | 38400000-8cf0-11bd-b23e-10b96e40000 | is not an advertising ID",
            "serial | R58M 12ABCDE | is not a serial number",
    })
    void commonValuesAndValuesThatCannotBeTheirKindAreRefused(String kind, String value, String why) {
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.fromId(kind).orElseThrow(), value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(kind + " canary \"" + value + "\" ").hasMessageContaining(why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "imei | 86-512304-567890-1",
            "imei | 35 209900 176148 23",
            "imsi | 460001234567890",
            "iccid | 8986 0012 3456 7890 123F",
            "phone_number | 0091 (98765) 00001",
            "contact_phone | +1 415.555.0123",
            "contact_email | Asha.Rao+test@Example.co.in",
            "android_id | 3c2a71b04e5d86",
            "wifi_mac | 3c5a.b41f.227e",
            "advertising_id | 38400000-8CF0-11BD-B23E-10B96E4EF00D",
            "serial | R58M12ABCDE",
            "contact_name | 王小明 Wang",
    })
    void valuesAsPeopleAndToolsPrintThemAreTaken(String kind, String value) {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.fromId(kind).orElseThrow(), value))).contains(value);
    }

    @Test
    void aLineBreakInAnyValueIsRefused() {
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, "Asha\nRao Kumar")))
                .hasMessageContaining("holds a control character");
    }

    @Test
    void tooShortValuesAreRefusedNamingKindAndValue() {
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.PHONE_NUMBER, "+1 234")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phone_number").hasMessageContaining("+1 234")
                .hasMessageContaining("too short to match safely");
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, " Asha ")))
                .hasMessageContaining("contact_name").hasMessageContaining("too short to match safely");
    }

    @Test
    void aThreeCharacterChineseNameIsLongEnoughATwoCharacterOneIsNot() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, "王小明"))).containsExactly("王小明");
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, "さとう花子"))).containsExactly("さとう花子");
        assertThatThrownBy(() -> CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, "张伟")))
                .hasMessage("contact_name canary \"张伟\" is too short to match safely: 2 characters, which count as"
                        + " 4 (Chinese, Japanese and Korean characters count twice), at least 6 needed");
    }

    @Test
    void shortDerivedFormsAreDroppedNotRefused() {
        // +1 555 0123: the national part has 7 digits, fine; +7 12345: national "12345" would be too short.
        assertThat(CanaryForms.of(Canary.of(CanaryKind.PHONE_NUMBER, "+712345"))).doesNotContain("12345")
                .contains("+712345", "712345");
    }
}
