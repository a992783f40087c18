package dev.consentry.grid.process;

/** A process that did not start or did not become ready; the message carries the command line and log tail. */
public class ProcessStartException extends RuntimeException {
    public ProcessStartException(String message) {
        super(message);
    }

    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
