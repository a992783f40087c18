package dev.consentry.verdict;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What one finding means under the policy and the consent given. Violations make a test FAIL; {@link #OPAQUE} and
 * {@link #UNOBSERVED} are doubts (the lab could not see what was sent) and make it INCONCLUSIVE unless exempt.
 */
public enum FindingVerdict {
    /** A rule let this data go to this party, and its purpose had been granted. */
    ALLOWED,
    /** No purpose that would allow it had been granted or declined yet (or no rule allows it at all). */
    BEFORE_CONSENT,
    /** A purpose that would have allowed it had been declined. */
    AFTER_DECLINE,
    /** Consent allowed it, but personal data over plain HTTP is forbidden whatever the consent. */
    CLEARTEXT,
    /** The host belongs to no destination the policy lists. */
    UNLISTED_DESTINATION,
    /** TLS the proxy could not open (the client refused the lab CA): what it carried is unknown. */
    OPAQUE,
    /** A connection the access point's tap saw but the capture did not: it bypassed the proxy. */
    UNOBSERVED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FindingVerdict> fromId(String id) {
        return Arrays.stream(values()).filter(v -> v.id().equals(id)).findFirst();
    }

    public boolean violation() {
        return this == BEFORE_CONSENT || this == AFTER_DECLINE || this == CLEARTEXT || this == UNLISTED_DESTINATION;
    }

    public boolean doubt() {
        return this == OPAQUE || this == UNOBSERVED;
    }
}
