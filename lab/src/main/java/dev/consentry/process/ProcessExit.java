package dev.consentry.process;

/**
 * How a stopped program ended.
 *
 * @param exitCode the exit status (on Linux 128 + signal when a signal ended it without a handler)
 * @param killed   true when it ignored the polite stop for the whole grace period and was killed
 */
public record ProcessExit(int exitCode, boolean killed) {
}
