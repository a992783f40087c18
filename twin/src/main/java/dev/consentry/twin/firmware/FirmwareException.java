package dev.consentry.twin.firmware;

/** A firmware file that cannot be used; the message names file, line and field so it can be fixed without guessing. */
public final class FirmwareException extends RuntimeException {
    public FirmwareException(String message) {
        super(message);
    }

    public FirmwareException(String message, Throwable cause) {
        super(message, cause);
    }
}
