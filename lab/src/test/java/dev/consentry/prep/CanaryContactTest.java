package dev.consentry.prep;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CanaryContactTest {
    @Test
    void generatesDistinctE164MobileNumbers() {
        var contacts = CanaryContact.generate(50, new Random(7));
        assertThat(contacts).hasSize(50);
        assertThat(contacts.stream().map(CanaryContact::phone).collect(Collectors.toSet())).hasSize(50);
        assertThat(contacts).allSatisfy(c -> assertThat(c.phone()).matches("\\+919\\d{9}"));
    }
}
