package dev.consentry.process;

import java.nio.file.Path;

/** A program that could not be started or did not become ready. The message says how it was run and what it said. */
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

    public String commandLine() {
        return commandLine;
    }

    public Path logFile() {
        return logFile;
    }

    public String logTail() {
        return logTail;
    }
}
