package dev.consentry.process;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A program that could not be started or did not become ready. The message says how it was run and what it said;
 * a failure found before anything was run (a missing install, a busy port) has no command line, log or tail.
 */
public class ProcessStartException extends RuntimeException {
    private final String commandLine;
    private final String logTail;
    private final Path logFile;

    public ProcessStartException(String message, String commandLine, Path logFile, String logTail, Throwable cause) {
        super(message, cause);
        this.commandLine = commandLine;
        this.logFile = logFile;
        this.logTail = logTail;
    }

    public ProcessStartException(String message) {
        this(message, null);
    }

    public ProcessStartException(String message, Throwable cause) {
        this(message, "", null, "", cause);
    }

    /** Empty when nothing was run. */
    public String commandLine() {
        return commandLine;
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /** The log's last lines as shown in the message, Java stack frames left out; empty when nothing was run. */
    public String logTail() {
        return logTail;
    }
}
