package dev.consentry.leak;

import java.util.List;

/** What scanning one flow gave: its findings, and what of it could not be decoded (and so was not searched). */
public record FlowScan(List<Finding> findings, List<Damage> damage) {
    public FlowScan {
        findings = List.copyOf(findings);
        damage = List.copyOf(damage);
    }
}
