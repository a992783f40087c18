package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.capture.CapturedFlow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The obvious way, kept only as the benchmark's baseline: the same decoded views as {@link LeakDetector}, but each
 * searched with one indexOf per form (and per base64 encoding of it), so the cost grows with data times forms. It
 * counts matches and reports nothing else; it must never be used for a verdict.
 */
public final class NaiveBaseline {
    private final List<byte[]> texts = new ArrayList<>();
    private final List<Decoder> decoders = List.of(new InflateDecoder(64 << 20), new UrlDecoder(), new JsonUnescaper(),
            new Base64RunDecoder(16, Base64RunDecoder.MESSAGE_CHARS),
            new HexRunDecoder(CanaryForms.MIN_SIGNIFICANT, 2 * CanaryForms.MIN_SIGNIFICANT));

    public NaiveBaseline(List<Canary> canaries) {
        for (Canary c : canaries) {
            for (String form : CanaryForms.of(c)) {
                byte[] b = form.getBytes(StandardCharsets.UTF_8);
                texts.add(b);
                for (Base64Alphabet.EncodedForm e : Base64Alphabet.encodings(b)) {
                    texts.add(e.text());
                }
            }
        }
    }

    /** How many (form, view) pairs matched in the flow's request. */
    public long count(CapturedFlow flow) {
        long[] n = {0};
        for (ScanTarget t : ScanTarget.of(flow.request())) {
            explore(View.root(t.bytes(), t.declaredEncoding()), n);
        }
        return n[0];
    }

    private void explore(View view, long[] n) {
        String text = new String(view.data(), StandardCharsets.ISO_8859_1);
        for (byte[] p : texts) {
            if (text.indexOf(new String(p, StandardCharsets.ISO_8859_1)) >= 0) {
                n[0]++;
            }
        }
        if (view.depth() < LeakDetector.MAX_DEPTH) {
            for (Decoder d : decoders) {
                d.decode(view, child -> explore(child, n));
            }
        }
    }
}
