package dev.consentry.diff;

import dev.consentry.verdict.FlowResult;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One kind of personal data reaching one destination in one flow, in one consent state: the unit firmware
 * releases are compared in. Values (which IMEI) do not matter here, only what kind of data went where, and when.
 *
 * @param category the data category: a canary kind ("imei", "contact_phone")
 * @param consent  the finding's verdict under the consent ledger: "allowed" (after consent), "before_consent",
 *                 "after_decline", "cleartext", "unlisted_destination"
 */
public record Exposure(String flow, String host, String category, String consent) {
    public static final Comparator<Exposure> ORDER = Comparator.comparing(Exposure::flow)
            .thenComparing(Exposure::host).thenComparing(Exposure::category).thenComparing(Exposure::consent);

    public Exposure {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(consent, "consent");
    }

    /**
     * What one flow result exposed, one entry per flow, host, category and consent state. Only leaks: opaque and
     * unobserved connections carry no known data category (they make a result INCONCLUSIVE instead).
     */
    public static Set<Exposure> of(FlowResult r) {
        Set<Exposure> out = new LinkedHashSet<>();
        r.findings().forEach(j -> j.leak().ifPresent(f -> out.add(new Exposure(r.flow(), j.host(),
                f.canary().kind().id(), j.verdict().id()))));
        return out;
    }

    public static Set<Exposure> of(List<FlowResult> results) {
        Set<Exposure> out = new LinkedHashSet<>();
        results.forEach(r -> out.addAll(of(r)));
        return out;
    }

    /** Sent with the user's consent (the consent state a certified build may send data in). */
    public boolean afterConsent() {
        return consent.equals("allowed");
    }

    /** Sent before the user was asked. */
    public boolean beforeConsent() {
        return consent.equals("before_consent");
    }
}
