package dev.consentry.process;

/** One look at whether a started program is ready; asked repeatedly until it says yes or time runs out. */
@FunctionalInterface
public interface ReadinessCheck {
    /**
     * @return a reason why it is not ready yet, or empty when it is ready
     * @throws Exception when the look itself failed (connection refused ...); treated as "not yet"
     */
    java.util.Optional<String> notReadyBecause() throws Exception;
}
