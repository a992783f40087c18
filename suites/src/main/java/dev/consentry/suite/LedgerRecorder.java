package dev.consentry.suite;

import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Keeps what a test's page objects report as it happens: each consent decision in the ledger (with the step it was
 * made in) and each screen in the timeline, so every captured flow can later be tagged with the step and screen that
 * were active when it was sent. Passes everything on to the next recorder (Allure).
 */
public final class LedgerRecorder implements FlowRecorder {
    private final FlowRecorder next;
    private final Clock clock;
    private ConsentLedger ledger = ConsentLedger.EMPTY;
    private Timeline timeline = Timeline.EMPTY;
    private String step = "";
    private String screen;

    public LedgerRecorder(FlowRecorder next, Clock clock) {
        this.next = Objects.requireNonNull(next, "next");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public LedgerRecorder(FlowRecorder next) {
        this(next, Clock.systemUTC());
    }

    /** A test step begins (prep, the flow, idle, cleanup); no screen is known in it until one is reported. */
    public synchronized void step(String name) {
        step = name;
        screen = null;
        timeline = timeline.step(name, clock.instant());
    }

    @Override
    public void screen(String name, byte[] screenshot) {
        markScreen(name, clock.instant());
        next.screen(name, screenshot);
    }

    @Override
    public void consent(ConsentDecision d) {
        // Page objects decide before they report the screen: the decision's screen is showing from then on.
        markScreen(d.screen(), d.at());
        synchronized (this) {
            ledger = ledger.with(entry(d));
        }
        next.consent(d);
    }

    /** Adds decisions a page object returned without reporting them as they were made. */
    public synchronized void addUnrecorded(List<ConsentDecision> decisions) {
        for (ConsentDecision d : decisions) {
            boolean known = ledger.entries().stream().anyMatch(e -> e.purpose().equals(d.purpose())
                    && e.at().equals(d.at()) && e.granted() == d.granted());
            if (!known) {
                ledger = ledger.with(entry(d));
            }
        }
    }

    private ConsentEntry entry(ConsentDecision d) {
        return new ConsentEntry(d.purpose(), d.granted(), d.screen(), step, d.control(), d.at());
    }

    private synchronized void markScreen(String name, Instant at) {
        if (!name.equals(screen)) {
            screen = name;
            timeline = timeline.screen(name, at);
        }
    }

    public synchronized ConsentLedger ledger() {
        return ledger;
    }

    public synchronized Timeline timeline() {
        return timeline;
    }
}
