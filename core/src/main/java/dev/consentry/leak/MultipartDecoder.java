package dev.consentry.leak;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * multipart/form-data (and other multipart) bodies: each part's content, without its headers, as a view of its own,
 * so that a part that is itself gzip or base64 is decoded from its first byte. The boundary is taken from the body's
 * first line rather than the Content-Type header, which the decoder does not see and senders get wrong.
 */
final class MultipartDecoder implements Decoder {
    static final String NAME = "multipart";
    private static final byte[] CRLF2 = {'\r', '\n', '\r', '\n'};

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        if (d.length < 8 || d[0] != '-' || d[1] != '-') {
            return;
        }
        int eol = indexOf(d, new byte[]{'\r', '\n'}, 2, Math.min(d.length, 200));
        if (eol < 3) {
            return;
        }
        byte[] delimiter = new byte[eol + 2];
        delimiter[0] = '\r';
        delimiter[1] = '\n';
        System.arraycopy(d, 0, delimiter, 2, eol);
        int partStart = eol + 2;
        while (partStart < d.length) {
            int headersEnd = indexOf(d, CRLF2, partStart, d.length);
            if (headersEnd < 0) {
                return;
            }
            int contentStart = headersEnd + 4;
            int next = indexOf(d, delimiter, contentStart, d.length);
            int contentEnd = next < 0 ? d.length : next;
            if (contentEnd > contentStart) {
                out.accept(view.child(NAME, Arrays.copyOfRange(d, contentStart, contentEnd)));
            }
            if (next < 0) {
                return;
            }
            int afterDelimiter = next + delimiter.length;
            if (afterDelimiter + 1 < d.length && d[afterDelimiter] == '-' && d[afterDelimiter + 1] == '-') {
                return;
            }
            partStart = afterDelimiter + 2;
        }
    }

    private static int indexOf(byte[] d, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (d[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
