package dev.consentry.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who receives data: the handset's maker, the platform it runs (Google on Android), or anyone else. */
public enum Party {
    VENDOR, PLATFORM, THIRD_PARTY;

    /** The spelling used in policy files and reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Party> fromId(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
    }
}
