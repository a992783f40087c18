package dev.consentry.twin.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Protobuf wire format for a message of string fields: each field number with wire type 2 (length-delimited). */
final class Protobuf {
    private Protobuf() {
    }

    /** Field names are field numbers; the loader has checked that. */
    static byte[] strings(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((number, value) -> {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            varint(out, ((long) Integer.parseInt(number) << 3) | 2);
            varint(out, bytes.length);
            out.writeBytes(bytes);
        });
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
