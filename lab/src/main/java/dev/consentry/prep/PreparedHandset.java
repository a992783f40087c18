package dev.consentry.prep;

import dev.consentry.canary.Canary;

import java.util.List;

/**
 * What prep changed and learned; cleanup undoes exactly this.
 *
 * @param canaries        identifiers read from the handset plus the planted contacts' values
 * @param rawContactIds   the raw_contacts rows prep inserted
 * @param caRemotePath    where the lab CA was pushed
 * @param fingerprint     ro.build.fingerprint as the handset reported it
 * @param before          the handset as it was before prep touched it; cleanup must bring it back to this
 */
public record PreparedHandset(List<Canary> canaries, List<Long> rawContactIds, String caRemotePath,
                              String fingerprint, HandsetState before) {
    public PreparedHandset {
        canaries = List.copyOf(canaries);
        rawContactIds = List.copyOf(rawContactIds);
    }
}
