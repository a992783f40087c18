package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds canaries in what a handset sent: the URL, each header, each cookie and the body, plain or wrapped in up to
 * {@value #MAX_DEPTH} layers of url, base64, gzip/deflate, json escapes and hex.
 *
 * <p>How it stays linear: all forms of all canaries, and their base64 encodings at the three byte alignments, go
 * into one Aho-Corasick automaton, so each decoded view is read once whatever the number of canaries. Decoders only
 * ever produce views no larger than their input (except inflation, which is capped), so a body costs a bounded
 * multiple of its size. Views are explored depth first, so at most one chain of decoded copies is alive at a time.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class LeakDetector {
    public static final int MAX_DEPTH = 3;
    /** Base64 runs shorter than this are not decoded as an outer layer (8 chars already hold a 6-char canary). */
    private static final int MIN_BASE64_RUN = 16;
    private static final int MAX_INFLATED = 64 * 1024 * 1024;

    private final List<Canary> canaries;
    private final List<Pattern> patterns = new ArrayList<>();
    private final MultiMatcher matcher;
    private final List<Decoder> decoders;

    /** @throws IllegalArgumentException if a canary is too short to match safely */
    public LeakDetector(List<Canary> canaries) {
        this.canaries = List.copyOf(canaries);
        List<byte[]> texts = new ArrayList<>();
        for (int c = 0; c < this.canaries.size(); c++) {
            for (String form : CanaryForms.of(this.canaries.get(c))) {
                byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
                texts.add(bytes);
                patterns.add(new Pattern(c, form, bytes, null));
                for (Base64Alphabet.EncodedForm e : Base64Alphabet.encodings(bytes)) {
                    texts.add(e.text());
                    patterns.add(new Pattern(c, form, bytes, e));
                }
            }
        }
        matcher = texts.isEmpty() ? null : new MultiMatcher(texts);
        decoders = List.of(
                new InflateDecoder(MAX_INFLATED),
                new UrlDecoder(),
                new JsonUnescaper(),
                new Base64RunDecoder(MIN_BASE64_RUN),
                new HexRunDecoder(CanaryForms.MIN_SIGNIFICANT));
    }

    public List<Canary> canaries() {
        return canaries;
    }

    /** One finding per canary and location, the one with the shortest transform chain. */
    public List<Finding> scan(CapturedFlow flow) {
        if (matcher == null) {
            return List.of();
        }
        HttpRequestData request = flow.request();
        Map<String, Best[]> byLocation = new LinkedHashMap<>();
        for (ScanTarget target : ScanTarget.of(request)) {
            Best[] best = byLocation.computeIfAbsent(target.location(), l -> new Best[canaries.size()]);
            explore(View.root(target.bytes(), target.declaredEncoding()), best);
        }
        List<Finding> findings = new ArrayList<>();
        byLocation.forEach((location, best) -> {
            for (Best b : best) {
                if (b != null) {
                    findings.add(new Finding(canaries.get(b.canary), flow.id(), request.host(), request.scheme(),
                            location, b.transforms, b.form, b.offset));
                }
            }
        });
        return List.copyOf(findings);
    }

    public List<Finding> scanAll(List<CapturedFlow> flows) {
        List<Finding> all = new ArrayList<>();
        for (CapturedFlow f : flows) {
            all.addAll(scan(f));
        }
        return List.copyOf(all);
    }

    private void explore(View view, Best[] best) {
        if (view.data().length >= matcher.shortestPattern()) {
            search(view, best);
        }
        if (view.depth() >= MAX_DEPTH || allFoundWithin(best, view.depth() + 1)) {
            // Deeper views can only yield longer chains than what every canary already has here.
            return;
        }
        for (Decoder d : decoders) {
            d.decode(view, child -> explore(child, best));
        }
    }

    private void search(View view, Best[] best) {
        int depth = view.depth();
        boolean base64Allowed = depth + 1 <= MAX_DEPTH;
        // Per canary, the earliest match in this view; at equal starts the longest form (15-digit IMEI over 14).
        Match[] plain = new Match[canaries.size()];
        Match[] inBase64 = new Match[canaries.size()];
        matcher.scan(view.data(), (id, start) -> {
            Pattern p = patterns.get(id);
            if (p.base64 == null) {
                plain[p.canary] = Match.better(plain[p.canary], id, start, p.form.length());
            } else if (base64Allowed && Base64Alphabet.verify(view.data(), start, p.base64, p.bytes)) {
                inBase64[p.canary] = Match.better(inBase64[p.canary], id, start, p.form.length());
            }
        });
        for (int c = 0; c < canaries.size(); c++) {
            if (plain[c] != null) {
                offer(best, c, view.transforms(), patterns.get(plain[c].pattern).form, plain[c].start);
            }
            if (inBase64[c] != null) {
                Pattern p = patterns.get(inBase64[c].pattern);
                List<String> chain = new ArrayList<>(view.transforms());
                chain.add(Base64RunDecoder.NAME);
                offer(best, c, chain, p.form, Base64Alphabet.decodedOffset(view.data(), inBase64[c].start, p.base64));
            }
        }
    }

    private static void offer(Best[] best, int canary, List<String> chain, String form, long offset) {
        Best current = best[canary];
        if (current == null || chain.size() < current.transforms.size()) {
            best[canary] = new Best(canary, List.copyOf(chain), form, offset);
        }
    }

    private static boolean allFoundWithin(Best[] best, int depth) {
        for (Best b : best) {
            if (b == null || b.transforms.size() > depth) {
                return false;
            }
        }
        return true;
    }

    /** @param base64 null for the form itself, else which base64 encoding of it */
    private record Pattern(int canary, String form, byte[] bytes, Base64Alphabet.EncodedForm base64) {
    }

    private record Match(int pattern, int start, int formLength) {
        static Match better(Match current, int pattern, int start, int formLength) {
            if (current == null || start < current.start
                    || (start == current.start && formLength > current.formLength)) {
                return new Match(pattern, start, formLength);
            }
            return current;
        }
    }

    private record Best(int canary, List<String> transforms, String form, long offset) {
    }
}
