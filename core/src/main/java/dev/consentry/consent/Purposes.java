package dev.consentry.consent;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Consent purposes as page objects record them and policies name them. The list is open: a policy may declare more
 * (under {@code purposes:}), and page objects of new dialects may record them; these are the ones every policy knows.
 */
public final class Purposes {
    public static final String CLOUD_SYNC = "cloud_sync";
    public static final String CLOUD_MESSAGING = "cloud_messaging";
    /** User-experience programs, usage statistics, crash reports. */
    public static final String DIAGNOSTICS = "diagnostics";
    public static final String PERSONALIZED_ADS = "personalized_ads";
    public static final String LOCATION = "location";
    public static final String BACKUP = "backup";
    public static final String FIND_DEVICE = "find_device";

    public static final List<String> BUILT_IN = List.of(CLOUD_SYNC, CLOUD_MESSAGING, DIAGNOSTICS, PERSONALIZED_ADS,
            LOCATION, BACKUP, FIND_DEVICE);

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

    private Purposes() {
    }

    /** Why {@code id} cannot be a purpose, or null when it can. */
    public static String invalid(String id) {
        return id != null && ID.matcher(id).matches() ? null
                : "expected a purpose id in lower case with '_' (like cloud_messaging)";
    }
}
