package dev.consentry.prep;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run may change on a handset, read over the shell before prep and again after cleanup; a difference is
 * something the run left behind.
 *
 * @param proxy          {@code settings get global http_proxy}, normalised: empty when no proxy is set
 * @param caFiles        the names in the profile's trust-store directory
 * @param rawContactIds  the raw_contacts rows
 * @param downloads      the names in /sdcard/Download, where flows put files they open
 */
public record HandsetState(String proxy, Set<String> caFiles, Set<Long> rawContactIds, Set<String> downloads) {
    public HandsetState {
        caFiles = Set.copyOf(caFiles);
        rawContactIds = Set.copyOf(rawContactIds);
        downloads = Set.copyOf(downloads);
    }

    /** Android prints "null" for an unset setting, and ":0" is how a proxy is cleared. */
    public static String normaliseProxy(String raw) {
        String p = raw == null ? "" : raw.trim();
        return p.equals("null") || p.equals(":0") ? "" : p;
    }

    /** @return what differs from {@code before}, in words; empty when the handset is as it was */
    public List<String> differencesFrom(HandsetState before) {
        List<String> out = new ArrayList<>();
        if (!proxy.equals(before.proxy)) {
            out.add("global proxy is '" + proxy + "', was '" + before.proxy + "' before the run");
        }
        added(out, "trust store has", caFiles, before.caFiles);
        added(out, "canary contacts still present: raw_contacts", rawContactIds, before.rawContactIds);
        added(out, "/sdcard/Download still holds", downloads, before.downloads);
        removed(out, "trust store lost", caFiles, before.caFiles);
        removed(out, "raw_contacts that were there before are gone:", rawContactIds, before.rawContactIds);
        return out;
    }

    private static <T extends Comparable<T>> void added(List<String> out, String what, Set<T> now, Set<T> before) {
        Set<T> extra = new TreeSet<>(now);
        extra.removeAll(before);
        if (!extra.isEmpty()) {
            out.add(what + " " + extra);
        }
    }

    private static <T extends Comparable<T>> void removed(List<String> out, String what, Set<T> now, Set<T> before) {
        Set<T> gone = new TreeSet<>(before);
        gone.removeAll(now);
        if (!gone.isEmpty()) {
            out.add(what + " " + gone);
        }
    }
}
