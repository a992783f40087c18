package dev.consentry.netns;

/** A namespace, link, address, route or rule could not be set up or removed; the message names the command. */
public final class NetnsException extends RuntimeException {
    public NetnsException(String message) {
        super(message);
    }

    public NetnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
