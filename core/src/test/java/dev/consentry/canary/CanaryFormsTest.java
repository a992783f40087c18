package dev.consentry.canary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanaryFormsTest {
    @Test
    void imeiTravelsWithAndWithoutItsCheckDigit() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.IMEI, "865123045678901")))
                .containsExactly("865123045678901", "86512304567890");
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
                .containsExactly("Kiran.Canary@Example.org", "kiran.canary@example.org");
    }

    @Test
    void namesAndOtherKindsTravelAsTyped() {
        assertThat(CanaryForms.of(Canary.of(CanaryKind.CONTACT_NAME, "Canary Asha 4821")))
                .containsExactly("Canary Asha 4821");
        assertThat(CanaryForms.of(Canary.of(CanaryKind.ANDROID_ID, "9774d56d682e549c")))
                .containsExactly("9774d56d682e549c");
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
    void shortDerivedFormsAreDroppedNotRefused() {
        // +1 555 0123: the national part has 7 digits, fine; +7 12345: national "12345" would be too short.
        assertThat(CanaryForms.of(Canary.of(CanaryKind.PHONE_NUMBER, "+712345"))).doesNotContain("12345")
                .contains("+712345", "712345");
    }
}
