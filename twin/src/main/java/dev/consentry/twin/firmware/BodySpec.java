package dev.consentry.twin.firmware;

import java.util.List;

/**
 * A request body: named template fields, serialised as a URL-encoded form or a JSON object of strings, optionally
 * gzip-compressed (sent with {@code Content-Encoding: gzip}).
 */
public record BodySpec(Format format, List<Field> fields, boolean gzip) {
    public enum Format { FORM, JSON }

    public enum Encode { NONE, BASE64 }

    public record Field(String name, String template, Encode encode) { }

    public BodySpec {
        fields = List.copyOf(fields);
    }
}
