package dev.consentry.leak;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Protocol Buffers wire format: when a whole view parses as a message, every length-delimited field that is not
 * itself a message becomes a view, so that a field holding gzip, base64 or hex is decoded from its first byte
 * (strings inside are found plain without this). Nested messages are walked within this one layer.
 *
 * <p>A field of {@value #DIGEST_MIN} to {@value #DIGEST_MAX} bytes may hold a raw digest (an SDK's hashed device id
 * in a {@code bytes} field, often truncated), which is arbitrary bytes: it can be too short for a view of its own, or
 * parse as a message by chance (a few percent of random 16-byte strings do). Such a field still becomes a view, one
 * whose first bytes only are compared ({@link View#prefixOnly()}).
 *
 * <p>A number field whose value is a canary's number ({@link WireNumbers}) becomes a view of its bytes, marked with
 * what they hold ({@link View#scalar}); other number fields, the many timestamps and counters, make none.
 */
final class ProtobufDecoder implements Decoder {
    static final String NAME = "protobuf";
    private static final int MAX_NESTING = 8;
    /** The shortest digest prefix matched (64 bits, see LeakDetector) and the longest digest (SHA-512). */
    static final int DIGEST_MIN = DigestPrefixes.LENGTH;
    static final int DIGEST_MAX = 64;
    private final int minField;
    private final WireNumbers numbers;
    /** The shortest view parsed: a field worth a view, a digest's, or one number's. */
    private final int shortest;

    ProtobufDecoder(int minField, WireNumbers numbers) {
        this.minField = minField;
        this.numbers = numbers;
        int fieldOrDigest = Math.min(minField, 2 + DIGEST_MIN);
        this.shortest = numbers.any() ? Math.min(fieldOrDigest, WireNumbers.SHORTEST_MESSAGE) : fieldOrDigest;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        // A message of one digest field is shorter than a field worth a view of its own, one of a number shorter still.
        if (d.length < shortest || !ProtobufWire.parses(d, 0, d.length)) {
            return;
        }
        emit(view, d, 0, d.length, 0, out);
    }

    private void emit(View view, byte[] d, int from, int to, int nesting, Consumer<View> out) {
        ProtobufWire.eachField(d, from, to, (number, start, len) -> {
            boolean message = nesting < MAX_NESTING && len > 0 && ProtobufWire.parses(d, start, start + len);
            if (message) {
                emit(view, d, start, start + len, nesting + 1, out);
            }
            // What parses as a message may be a stream or text that does so by chance (zlib's 78 9c reads as field 15,
            // "eJxL..." as fields 12 and 9): then it is a view too. A real message is rarely either: its first tag
            // is mostly below 0x20 (fields 1-3), and strong magic is rare.
            boolean alsoView = message && (StreamMagic.at(d, start, start + len) != null || printable(d, start, len));
            if ((!message || alsoView) && len >= minField) {
                out.accept(view.child(NAME, Arrays.copyOfRange(d, start, start + len)).field(false));
            } else if (len >= DIGEST_MIN && len <= DIGEST_MAX) {
                out.accept(view.child(NAME, Arrays.copyOfRange(d, start, start + len)).field(true));
            }
        }, (number, wire, start, end, value) -> {
            if (numbers.any() && numbers.wanted(wire, value)) {
                out.accept(view.child(NAME, Arrays.copyOfRange(d, start, end)).scalar(wire, value));
            }
        });
    }

    /** Printable ASCII throughout: base64, hex, a URL or JSON, never a message whose first field is 1-3. */
    private static boolean printable(byte[] d, int start, int len) {
        for (int i = start; i < start + len; i++) {
            if (d[i] < 0x20 || d[i] == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
