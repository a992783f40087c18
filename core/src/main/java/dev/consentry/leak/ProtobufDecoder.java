package dev.consentry.leak;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Protocol Buffers wire format: when a whole view parses as a message, every length-delimited field that is not
 * itself a message becomes a view, so that a field holding gzip, base64 or hex is decoded from its first byte
 * (strings inside are found plain without this). Nested messages are walked within this one layer.
 */
final class ProtobufDecoder implements Decoder {
    static final String NAME = "protobuf";
    private static final int MAX_NESTING = 8;
    private final int minField;

    ProtobufDecoder(int minField) {
        this.minField = minField;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        if (d.length < minField || !ProtobufWire.parses(d, 0, d.length)) {
            return;
        }
        emit(view, d, 0, d.length, 0, out);
    }

    private void emit(View view, byte[] d, int from, int to, int nesting, Consumer<View> out) {
        ProtobufWire.eachLengthDelimited(d, from, to, (number, start, len) -> {
            if (nesting < MAX_NESTING && len > 0 && ProtobufWire.parses(d, start, start + len)) {
                emit(view, d, start, start + len, nesting + 1, out);
            } else if (len >= minField) {
                out.accept(view.child(NAME, Arrays.copyOfRange(d, start, start + len)));
            }
        });
    }
}
