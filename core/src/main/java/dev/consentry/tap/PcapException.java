package dev.consentry.tap;

/** A capture file that cannot be read, with the file and the byte offset where reading stopped. */
public final class PcapException extends RuntimeException {
    public PcapException(String message) {
        super(message);
    }

    public PcapException(String message, Throwable cause) {
        super(message, cause);
    }
}
