package dev.consentry.suite;

/**
 * The seam between page objects and reporting: page objects say what they saw and decided, a recorder turns it into
 * Allure steps (or anything else). Keeps page objects free of report code.
 */
public interface FlowRecorder {
    /** A screen was reached; {@code screenshot} is a PNG. */
    void screen(String name, byte[] screenshot);

    /** A consent choice was made on screen. */
    void consent(ConsentDecision decision);

    FlowRecorder NONE = new FlowRecorder() {
        @Override
        public void screen(String name, byte[] screenshot) {
        }

        @Override
        public void consent(ConsentDecision decision) {
        }
    };
}
