package dev.consentry.leak;

/**
 * Compressed streams known by magic that text and protobuf rarely make by chance: gzip's 1f 8b 08, zstd's frame
 * (28 b5 2f fd) and zlib's 78 with one of its four usual flag bytes (zlib's bare check, CMF*256+FLG a multiple of 31,
 * passes a letter before a space one time in 31). Where a stream may start inside a view (see {@link InflateDecoder}),
 * only these are tried; the report's evidence looks for the same starts.
 */
public final class StreamMagic {
    private StreamMagic() {
    }

    /** The transform ("gzip", "deflate", "zstd") whose stream starts at {@code at} (before {@code end}), or null. */
    public static String at(byte[] d, int at, int end) {
        if (at < 0 || at + 4 > end) {
            return null;
        }
        int b0 = d[at] & 0xff;
        int b1 = d[at + 1] & 0xff;
        if (b0 == 0x1f) {
            return b1 == 0x8b && d[at + 2] == 8 ? InflateDecoder.GZIP : null;
        }
        if (b0 == 0x78) {
            return b1 == 0x01 || b1 == 0x5e || b1 == 0x9c || b1 == 0xda ? InflateDecoder.DEFLATE : null;
        }
        return Plausible.magic(b0, b1, d[at + 2] & 0xff, d[at + 3] & 0xff) ? InflateDecoder.ZSTD : null;
    }
}
