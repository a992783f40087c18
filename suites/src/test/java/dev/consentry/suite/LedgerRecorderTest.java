package dev.consentry.suite;

import dev.consentry.consent.ConsentEntry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerRecorderTest {
    /** A clock the test moves by hand. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-24T16:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        Instant tick(long ms) {
            now = now.plusMillis(ms);
            return now;
        }
    }

    @Test
    void decisionsCarryTheStepAndScreensMarkTheTimelineOnceEach() {
        StepClock clock = new StepClock();
        List<String> passedOn = new ArrayList<>();
        LedgerRecorder r = new LedgerRecorder(new FlowRecorder() {
            @Override
            public void screen(String name, byte[] screenshot) {
                passedOn.add("screen " + name);
            }

            @Override
            public void consent(ConsentDecision decision) {
                passedOn.add("consent " + decision.purpose());
            }
        }, clock);
        r.step("prep");
        clock.tick(1000);
        r.step("first-boot");
        r.screen("Language", new byte[0]);
        Instant decided = clock.tick(1000);
        r.consent(new ConsentDecision("cloud_messaging", false, "Mi Cloud", "cloud_messaging_checkbox", decided));
        clock.tick(300);
        r.screen("Mi Cloud", new byte[0]); // reported after the decision: no second mark
        clock.tick(700);
        r.step("idle");
        r.addUnrecorded(List.of(new ConsentDecision("cloud_messaging", false, "Mi Cloud", "x", decided),
                new ConsentDecision("location", false, "Location", "location_checkbox", clock.tick(1))));

        assertThat(passedOn).containsExactly("screen Language", "consent cloud_messaging", "screen Mi Cloud");
        assertThat(r.ledger().entries()).extracting(ConsentEntry::purpose, ConsentEntry::step)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cloud_messaging", "first-boot"),
                        org.assertj.core.groups.Tuple.tuple("location", "idle"));
        assertThat(r.timeline().lastScreen(decided.plusMillis(500))).get().satisfies(m -> {
            assertThat(m.screen()).isEqualTo(Optional.of("Mi Cloud"));
            assertThat(m.at()).isEqualTo(decided);
        });
        assertThat(r.timeline().at(clock.instant())).get().satisfies(m -> assertThat(m.step()).isEqualTo("idle"));
    }
}
