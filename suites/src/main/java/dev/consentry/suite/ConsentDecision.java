package dev.consentry.suite;

import java.time.Instant;

/**
 * One consent choice as made on screen.
 *
 * @param purpose e.g. "cloud_messaging", "diagnostics", "location"
 * @param control the control's resource-id, for the evidence
 */
public record ConsentDecision(String purpose, boolean granted, String screen, String control, Instant at) {
}
