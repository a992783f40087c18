package dev.consentry.grid.process;

/** One look at whether a started process is ready; called repeatedly until it says so or time runs out. */
@FunctionalInterface
public interface ReadinessProbe {
    /** @throws Exception when the look itself failed (connection refused ...): treated as "not yet" */
    boolean ready() throws Exception;
}
