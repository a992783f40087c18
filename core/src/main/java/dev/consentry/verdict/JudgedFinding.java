package dev.consentry.verdict;

import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.policy.Party;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One finding with its verdict and the context a person needs to act on it.
 *
 * @param leak        the canary found, for leaks; empty for opaque and unobserved connections
 * @param at          when the request was sent (or the connection seen)
 * @param party       the party the host belongs to under the policy; empty when unlisted
 * @param destination the policy's destination name ("xiaomi"); empty when unlisted
 * @param consent     the purposes granted and declined when it was sent
 * @param screen      the last screen shown when it was sent
 * @param step        the test step active when it was sent (prep, first-boot, idle, cleanup)
 * @param rule        for ALLOWED the rule that allowed it; otherwise the nearest rule that would have, if any
 * @param exempt      for OPAQUE: the policy exempts the destination; for UNOBSERVED: necessary traffic the tap read in
 *                    full and found no identifier in. Either way it does not make the test INCONCLUSIVE
 * @param explanation the whole story in words: what, where, when, which screen, which consent, which rule and why
 * @param connection  for UNOBSERVED: the connection as the tap saw it (address, port, bytes)
 */
public record JudgedFinding(FindingVerdict verdict, Optional<Finding> leak, String host, String scheme, Instant at,
                            Optional<Party> party, Optional<String> destination, ConsentState consent,
                            Optional<String> screen, Optional<String> step, Optional<String> rule, boolean exempt,
                            String explanation, Optional<UnobservedConnection> connection) {
    public JudgedFinding {
        Objects.requireNonNull(verdict, "verdict");
        leak = leak == null ? Optional.empty() : leak;
        host = host == null ? "" : host;
        scheme = scheme == null ? "" : scheme;
        Objects.requireNonNull(at, "at");
        party = party == null ? Optional.empty() : party;
        destination = destination == null ? Optional.empty() : destination;
        consent = consent == null ? ConsentState.NONE : consent;
        screen = screen == null ? Optional.empty() : screen;
        step = step == null ? Optional.empty() : step;
        rule = rule == null ? Optional.empty() : rule;
        explanation = explanation == null ? "" : explanation;
        connection = connection == null ? Optional.empty() : connection;
        if (leak.isEmpty() && !verdict.doubt()) {
            throw new IllegalArgumentException(verdict.id() + " needs the leak it judges");
        }
    }

    public JudgedFinding(FindingVerdict verdict, Optional<Finding> leak, String host, String scheme, Instant at,
                         Optional<Party> party, Optional<String> destination, ConsentState consent,
                         Optional<String> screen, Optional<String> step, Optional<String> rule, boolean exempt,
                         String explanation) {
        this(verdict, leak, host, scheme, at, party, destination, consent, screen, step, rule, exempt, explanation,
                Optional.empty());
    }

    /** Makes the test FAIL. */
    public boolean violation() {
        return verdict.violation();
    }

    /** Makes the test INCONCLUSIVE (unless something makes it FAIL). */
    public boolean doubt() {
        return verdict.doubt() && !exempt;
    }

    /** "imei to api.account.xiaomi.com (before_consent)", for one-line summaries. */
    public String headline() {
        return leak.map(f -> f.canary().kind().id() + " to " + host).orElse(verdict.id() + " " + host)
                + " (" + verdict.id() + ")";
    }
}
