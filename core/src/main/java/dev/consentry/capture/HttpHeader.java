package dev.consentry.capture;

import java.util.Objects;

/** One header line as sent; order and duplicates are kept by the lists that hold these. */
public record HttpHeader(String name, String value) {
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
