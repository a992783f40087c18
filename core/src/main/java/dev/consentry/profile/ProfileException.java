package dev.consentry.profile;

import java.util.List;

/**
 * A device profile could not be loaded. Each problem is one line "file:line:column: field.path: what is wrong", so
 * an editor or CI log can jump to it; all problems of a file (or directory) are reported at once rather than one per
 * run.
 */
public final class ProfileException extends RuntimeException {
    private final List<String> problems;

    public ProfileException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ProfileException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ProfileException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    public List<String> problems() {
        return problems;
    }
}
