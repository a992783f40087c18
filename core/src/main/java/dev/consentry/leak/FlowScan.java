package dev.consentry.leak;

import java.util.List;

/**
 * What scanning one flow gave: its findings, and what of it could not be decoded (and so was not searched).
 *
 * @param outOfMemory whether part of the request went unsearched because the scan ran out of Java heap (its damage
 *                    says which): unlike a corrupt stream, that part may search in full given more heap, or the same
 *                    heap with no other scan running beside it
 */
public record FlowScan(List<Finding> findings, List<Damage> damage, boolean outOfMemory) {
    public FlowScan {
        findings = List.copyOf(findings);
        damage = List.copyOf(damage);
    }

    public FlowScan(List<Finding> findings, List<Damage> damage) {
        this(findings, damage, false);
    }
}
