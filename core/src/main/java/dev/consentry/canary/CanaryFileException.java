package dev.consentry.canary;

import java.util.List;

/** A canary file that cannot be used; the message lists every problem, one per line, with file:line:column. */
public final class CanaryFileException extends RuntimeException {
    private final List<String> problems;

    CanaryFileException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
