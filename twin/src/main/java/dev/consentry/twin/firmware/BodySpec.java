package dev.consentry.twin.firmware;

import java.util.List;

/**
 * A request body: named template fields, serialised as a URL-encoded form, a JSON object of strings, or protobuf wire
 * format (field names are field numbers, each a length-delimited string), optionally gzip-compressed (sent with
 * {@code Content-Encoding: gzip}).
 */
public record BodySpec(Format format, List<Field> fields, boolean gzip) {
    public enum Format { FORM, JSON, PROTOBUF }

    /**
     * One step of a field's encoding, applied in order to the value's UTF-8 bytes. Hash steps give the raw digest and
     * {@code prefix128} keeps its first 16 bytes (as Google's Clearcut does with SHA-256); raw bytes left at the end
     * are written as lowercase hex, the way analytics SDKs send digests.
     */
    public enum Encode {
        NONE, BASE64, BASE64URL, HEX, MD5, SHA1, SHA256, SHA512, PREFIX128;

        public boolean givesRawBytes() {
            return this == MD5 || this == SHA1 || this == SHA256 || this == SHA512 || this == PREFIX128;
        }
    }

    public record Field(String name, String template, List<Encode> encodes) {
        public Field {
            encodes = List.copyOf(encodes);
        }
    }

    public BodySpec {
        fields = List.copyOf(fields);
    }
}
