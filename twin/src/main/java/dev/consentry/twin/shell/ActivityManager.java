package dev.consentry.twin.shell;

import java.util.Optional;

/** What {@code am start} needs from the handset: resolve an intent to a screen and show it. */
@FunctionalInterface
public interface ActivityManager {
    /** @return the screen shown, or empty when no activity resolves the intent */
    Optional<String> start(Optional<String> component, Optional<String> action, Optional<String> data,
                           Optional<String> mimeType);
}
