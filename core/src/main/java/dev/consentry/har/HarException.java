package dev.consentry.har;

/** A HAR file that cannot be read; the message names the file and, for a bad entry, its index and field. */
public final class HarException extends RuntimeException {
    public HarException(String message) {
        super(message);
    }

    public HarException(String message, Throwable cause) {
        super(message, cause);
    }
}
