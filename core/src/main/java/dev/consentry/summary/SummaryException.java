package dev.consentry.summary;

/** A summary.json that cannot be read back; the message names the file and the result or finding at fault. */
public final class SummaryException extends RuntimeException {
    public SummaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
