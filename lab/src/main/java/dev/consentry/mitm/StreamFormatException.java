package dev.consentry.mitm;

/** A stream line that is not what the addon's format promises. */
public class StreamFormatException extends RuntimeException {
    public StreamFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
