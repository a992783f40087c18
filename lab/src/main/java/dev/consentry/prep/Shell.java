package dev.consentry.prep;

/**
 * A handset's shell as reached through Appium's {@code mobile: shell}. An interface so prep logic can be exercised
 * against a recorded transcript as well as a live session.
 */
@FunctionalInterface
public interface Shell {
    /** Runs one command and returns its standard output; throws {@link PrepException} if the driver refused it. */
    String run(String command, String... args);
}
