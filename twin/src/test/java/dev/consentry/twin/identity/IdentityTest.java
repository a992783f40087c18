package dev.consentry.twin.identity;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityTest {
    @Test
    void derivedFromTheSerialDeterministically() {
        Identity a = Identity.derive("redmi1s-2014", Optional.empty(), Optional.empty());
        Identity b = Identity.derive("redmi1s-2014", Optional.empty(), Optional.empty());
        Identity c = Identity.derive("redmi1s-2014-08", Optional.empty(), Optional.empty());
        assertThat(a).isEqualTo(b);
        assertThat(a.imei()).isNotEqualTo(c.imei());
        assertThat(a.imei()).matches("86\\d{13}");
        assertThat(Identity.luhnValid(a.imei())).isTrue();
        assertThat(a.phoneNumber()).matches("\\+9198\\d{8}");
        assertThat(a.androidId()).matches("[0-9a-f]{16}");
        assertThat(a.wifiMac()).matches("64:09:80(:[0-9a-f]{2}){3}").isNotEqualTo(c.wifiMac());
    }

    @Test
    void luhnMatchesAKnownImei() {
        // The example IMEI from the GSMA/Wikipedia Luhn walkthrough: 49015420323751 -> check digit 8.
        assertThat(Identity.luhnDigit("49015420323751")).isEqualTo(8);
        assertThat(Identity.luhnValid("490154203237518")).isTrue();
        assertThat(Identity.luhnValid("490154203237517")).isFalse();
    }

    @Test
    void givenValuesWinAndAreChecked() {
        Identity i = Identity.derive("s", Optional.of("490154203237518"), Optional.of("+919800000001"));
        assertThat(i.imei()).isEqualTo("490154203237518");
        assertThat(i.phoneNumber()).isEqualTo("+919800000001");
        assertThatThrownBy(() -> Identity.derive("s", Optional.of("490154203237517"), Optional.empty()))
                .hasMessageContaining("Luhn");
    }
}
