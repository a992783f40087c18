package dev.consentry.leak;

/**
 * Maximal runs of bytes of one class (base64 characters, hex digits) at least {@code min} long, found without
 * reading every byte: any such run holds a position that is a multiple of {@code min}, so only those are read, and
 * only around a hit is the run followed to its ends. In binary data and in text with short words this reads a
 * fraction of the bytes, and it avoids the branch that a byte-by-byte walk mispredicts on every short run.
 */
final class Runs {
    static final boolean[] BASE64 = new boolean[256];
    static final boolean[] HEX = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            BASE64[b] = Base64Alphabet.isBase64((byte) b);
            HEX[b] = UrlDecoder.hex((byte) b) >= 0;
        }
    }

    @FunctionalInterface
    interface Sink {
        void run(int start, int end);
    }

    private Runs() {
    }

    /** Reports each maximal run within [from, to) of at least {@code min} bytes of the class, in order. */
    static void each(byte[] d, int from, int to, boolean[] cls, int min, Sink sink) {
        int step = Math.max(1, min);
        int done = from; // everything before has been reported or ruled out
        for (int p = from + step - 1; p < to; p += step) {
            if (!cls[d[p] & 0xff]) {
                continue;
            }
            int start = p;
            while (start > done && cls[d[start - 1] & 0xff]) {
                start--;
            }
            int end = p + 1;
            while (end < to && cls[d[end] & 0xff]) {
                end++;
            }
            if (end - start >= min) {
                sink.run(start, end);
            }
            done = end;
            // d[end] ends this run; a run after it of min bytes or more holds one of end + k * step (k >= 1).
            p = end;
        }
    }
}
