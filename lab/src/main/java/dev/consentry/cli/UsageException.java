package dev.consentry.cli;

/** A command line the CLI cannot act on; the message says which option and why. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
