package dev.consentry.profile;

/**
 * A condition the handset must meet before any flow, checked over {@code mobile: shell}: the command's trimmed output
 * must equal {@code expect}, else the run stops with {@code problem} (e.g. MIUI's "USB debugging (Security
 * settings)", without which MIUI drops Appium's taps).
 */
public record PrecheckCommand(String command, String expect, String problem) {
}
