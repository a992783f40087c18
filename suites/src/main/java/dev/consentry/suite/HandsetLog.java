package dev.consentry.suite;

import dev.consentry.prep.Shell;

/** The handset's own log (logcat), for the report of a test that did not pass. */
final class HandsetLog {
    private HandsetLog() {
    }

    /** The last {@code lines} lines, or why they could not be read: a missing log must not hide the verdict. */
    static String tail(Shell shell, int lines) {
        try {
            String log = shell.run("logcat", "-d", "-v", "time", "-t", String.valueOf(lines));
            if (log.isBlank()) {
                return "(logcat returned nothing)";
            }
            // A shell without logcat answers on stdout like any other command, e.g. "sh: logcat: not found".
            if (log.strip().lines().count() == 1 && log.strip().matches(".*\\blogcat: (not found|inaccessible).*")) {
                return "handset log unavailable: " + log.strip();
            }
            return log;
        } catch (RuntimeException e) {
            return "handset log unavailable: logcat failed: " + e.getMessage();
        }
    }
}
