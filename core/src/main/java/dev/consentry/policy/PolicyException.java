package dev.consentry.policy;

import java.util.List;

/** A policy file could not be loaded; each problem is one line "file:line:column: field.path: what is wrong". */
public final class PolicyException extends RuntimeException {
    private final List<String> problems;

    public PolicyException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PolicyException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public PolicyException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    public List<String> problems() {
        return problems;
    }
}
