package dev.consentry.prep;

/** Prep or cleanup could not do what the test relies on; the message says which command and what came back. */
public class PrepException extends RuntimeException {
    public PrepException(String message) {
        super(message);
    }

    public PrepException(String message, Throwable cause) {
        super(message, cause);
    }
}
