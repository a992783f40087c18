package dev.consentry.suite;

import dev.consentry.consent.ConsentLedger;
import dev.consentry.policy.Policy;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;

import java.util.stream.Collectors;

/**
 * Assertions for suite authors, in TestNG's manner: {@code ConsentAssert.assertNoLeak(capture, ledger, policy)} fails
 * the test with an {@link AssertionError} when personal data left without the consent the policy requires, and
 * throws {@link InconclusiveException} (never a pass) when the lab could not see enough to judge.
 */
public final class ConsentAssert {
    private ConsentAssert() {
    }

    /** @return the result, when it is a PASS (it may carry allowed findings and exempt opaque ones) */
    public static FlowResult assertNoLeak(Evidence capture, ConsentLedger ledger, Policy policy) {
        return assertPassed(Judge.judge(capture, ledger, policy));
    }

    /** Throws for a FAIL or INCONCLUSIVE result, with a message a person can act on; returns a PASS. */
    public static FlowResult assertPassed(FlowResult result) {
        switch (result.verdict()) {
            case FAIL -> throw new AssertionError(message(result));
            case INCONCLUSIVE -> throw new InconclusiveException(message(result));
            default -> {
                return result;
            }
        }
    }

    /**
     * One line of verdict, then one line per violation (what left, to where, when, on which screen, under which
     * consent, and the nearest rule and why it did not allow it); for INCONCLUSIVE the reason.
     */
    public static String message(FlowResult r) {
        String head = r.verdict() + " " + r.device() + " " + r.flow();
        return switch (r.verdict()) {
            case PASS -> head + ": no personal data left without consent";
            case FAIL -> head + ": personal data left the handset without the consent the policy requires\n"
                    + r.violations().stream().map(j -> "- " + j.verdict().id() + ": " + j.explanation())
                    .distinct().collect(Collectors.joining("\n"));
            case INCONCLUSIVE -> head + ": the lab could not see enough to judge: " + r.reason().orElse("");
        };
    }
}
