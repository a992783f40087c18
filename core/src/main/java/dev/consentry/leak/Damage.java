package dev.consentry.leak;

/**
 * Part of a request that could not be decoded as its sender declared it (a gzip body cut short, a corrupt brotli
 * stream, a "Content-Encoding: gzip" body that is not gzip, output past the cap). What did decode was searched; the
 * rest could not be, so a flow with damage is never a clean bill of health.
 *
 * @param location where, as a finding's location ({@code body})
 * @param problem  what was wrong and what was searched, e.g. "gzip stream is cut short (truncated after ...)"
 */
public record Damage(String location, String problem) {
    public String message() {
        return location + ": " + problem;
    }
}
