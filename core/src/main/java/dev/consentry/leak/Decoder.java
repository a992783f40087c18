package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * One way senders wrap data. A decoder emits zero or more decoded views of a view and must never throw on malformed
 * input: garbage simply decodes to nothing (or to what could be decoded before the garbage).
 */
interface Decoder {
    void decode(View view, Consumer<View> out);
}
