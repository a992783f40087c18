package dev.consentry.consent;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsentLedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-24T16:00:00Z");

    private static ConsentEntry e(String purpose, boolean granted, long second) {
        return new ConsentEntry(purpose, granted, "Mi Cloud", "first-boot", "", T0.plusSeconds(second));
    }

    @Test
    void theStateAtAMomentIsTheLastDecisionPerPurposeMadeByThen() {
        ConsentLedger ledger = new ConsentLedger(List.of(e("location", false, 5), e("cloud_messaging", true, 2),
                e("cloud_messaging", false, 4)));
        assertThat(ledger.entries()).extracting(ConsentEntry::at).isSorted();
        assertThat(ledger.stateAt(T0.plusSeconds(1))).isEqualTo(ConsentState.NONE);
        assertThat(ledger.stateAt(T0.plusSeconds(3)).granted()).containsExactly("cloud_messaging");
        ConsentState later = ledger.stateAt(T0.plusSeconds(5));
        assertThat(later.granted()).isEmpty();
        assertThat(later.declined()).containsExactly("cloud_messaging", "location");
        assertThat(later).hasToString("granted none; declined cloud_messaging, location");
        assertThat(ledger.decisionAt("cloud_messaging", T0.plusSeconds(3))).get().extracting(ConsentEntry::granted)
                .isEqualTo(true);
        assertThat(ledger.firstAfter("location", T0)).get().extracting(ConsentEntry::at)
                .isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void purposesAreOpenButSpelledOneWay() {
        assertThat(new ConsentEntry("voice_assistant", true, "s", "", "", T0).purpose()).isEqualTo("voice_assistant");
        assertThatThrownBy(() -> new ConsentEntry("Cloud Messaging", true, "s", "", "", T0))
                .hasMessageContaining("expected a purpose id");
    }

    @Test
    void theTimelineTellsWhichStepAndScreenWereActive() {
        Timeline t = Timeline.EMPTY.step("prep", T0).step("first-boot", T0.plusSeconds(1))
                .screen("Mi Cloud", T0.plusSeconds(2)).step("idle", T0.plusSeconds(6));
        assertThat(t.at(T0.minusSeconds(1))).isEmpty();
        assertThat(t.at(T0.plusSeconds(3))).get().satisfies(m -> {
            assertThat(m.step()).isEqualTo("first-boot");
            assertThat(m.screen()).contains("Mi Cloud");
        });
        assertThat(t.at(T0.plusSeconds(7))).get().extracting(Timeline.Mark::step).isEqualTo("idle");
        assertThat(t.lastScreen(T0.plusSeconds(7))).get().extracting(Timeline.Mark::screen)
                .isEqualTo(Optional.of("Mi Cloud"));
    }
}
