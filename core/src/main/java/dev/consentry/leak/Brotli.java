package dev.consentry.leak;

import org.brotli.dec.BrotliInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;

/**
 * Brotli, declared or not. Where nothing declares it (a blob base64'd into a JSON field, hex'd into a form, sent as a
 * protobuf field or a multipart part) it has no magic bytes to go by, so it is guessed, bounded three ways:
 *
 * <ul>
 * <li>only on bytes that are a whole decoded base64 or hex run, a protobuf field or a multipart part, that do not read
 * as text and carry no other magic (see {@link InflateDecoder});</li>
 * <li>only when the stream header reads as an encoder writes it ({@link #headerFits}): a valid window, a first
 * meta-block that is neither empty, metadata nor stored uncompressed (those bytes would be plain to see), declaring
 * at most {@value #MAX_RATIO} times the input plus 1 KB. Of random bytes 0.34% (12 bytes) to 26% (64 KB) pass
 * (README, "Undeclared brotli"); it is starting the decoder that costs (15-25 us, 12 of them constructing it; more when
 * its ring buffer is large, which the length bound limits);</li>
 * <li>the first {@value #PROBE} bytes out (or all, if fewer, also when the stream breaks there) must be plausible
 * ({@link Plausible}) before decoding goes on: of random blobs, a few in 100,000 get that far.</li>
 * </ul>
 *
 * <p>What comes out before damage (a truncated stream) is kept, as for gzip.
 */
final class Brotli {
    static final int MAX_RATIO = 64;
    static final int PROBE = 1024;
    /** The longest header {@link #headerFits} reads: 7 bits of window, 4 of flags and sizes, 24 of length: 5 bytes. */
    static final int HEADER_BYTES = 5;

    private Brotli() {
    }

    /**
     * Whether the first bytes of a stream of {@code length} bytes start the way RFC 7932 section 9 says a stream
     * with compressed data does. {@code head} needs at least {@link #HEADER_BYTES} bytes (fewer: false).
     */
    static boolean headerFits(byte[] head, int headLength, int length) {
        if (headLength < HEADER_BYTES) {
            return false;
        }
        long v = 0;
        for (int i = 0; i < Math.min(8, headLength); i++) {
            v |= (head[i] & 0xffL) << (8 * i);
        }
        int pos;
        if ((v & 1) == 0) {
            pos = 1; // WBITS 16
        } else if (((v >>> 1) & 7) != 0) {
            pos = 4; // WBITS 18-24
        } else {
            if (((v >>> 4) & 7) == 1) {
                return false; // reserved (the large-window marker, which this decoder does not read)
            }
            pos = 7; // WBITS 10-15 or 17
        }
        boolean last = ((v >>> pos++) & 1) == 1;
        if (last && ((v >>> pos++) & 1) == 1) {
            return false; // ISLASTEMPTY: nothing inside
        }
        int code = (int) (v >>> pos) & 3;
        pos += 2;
        if (code == 3) {
            return false; // a metadata block first: encoders never write one there
        }
        int nibbles = code + 4;
        long mlen = ((v >>> pos) & ((1L << (4 * nibbles)) - 1)) + 1;
        pos += 4 * nibbles;
        if (nibbles > 4 && ((mlen - 1) >>> (4 * (nibbles - 1))) == 0) {
            return false; // a length with a superfluous zero nibble is invalid
        }
        if (!last && ((v >>> pos) & 1) == 1) {
            return false; // stored uncompressed: the bytes stand there as they are, already searched
        }
        return mlen <= (long) MAX_RATIO * length + 1024;
    }

    /**
     * Where brotli is declared: the decompressed bytes, at most {@code maxOutput}; of a truncated or corrupt stream,
     * what came out before the damage.
     */
    static byte[] decode(byte[] data, int maxOutput) {
        return decode(data, maxOutput, false);
    }

    /**
     * Where nothing declares it: the decompressed bytes, at most {@code maxOutput}, if the data reads as brotli and
     * the start of what comes out is plausible; else an empty array.
     */
    static byte[] guess(byte[] data, int maxOutput) {
        if (!headerFits(data, data.length, data.length)) {
            return new byte[0];
        }
        return decode(data, maxOutput, true);
    }

    private static byte[] decode(byte[] data, int maxOutput, boolean probe) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean checked = !probe;
        BrotliInputStream in = null;
        try {
            in = new BrotliInputStream(new ByteArrayInputStream(data), Math.max(256, Math.min(16 * 1024, data.length)));
            byte[] buf = new byte[Math.min(16 * 1024, maxOutput)];
            int n;
            while (out.size() < maxOutput && (n = in.read(buf, 0,
                    Math.min(checked ? buf.length : PROBE - out.size(), maxOutput - out.size()))) > 0) {
                out.write(buf, 0, n);
                if (!checked && out.size() >= PROBE) {
                    if (!Plausible.worthSearching(out.toByteArray())) {
                        return new byte[0];
                    }
                    checked = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Corrupt or truncated: keep what came out before the damage.
            salvage(in, out, maxOutput);
        }
        byte[] decoded = out.toByteArray();
        return checked || Plausible.worthSearching(decoded) ? decoded : new byte[0];
    }

    private static final Field STATE;
    private static final Field RING_BUFFER;
    private static final Field POS;
    private static final Field BYTES_WRITTEN;

    static {
        Field[] f = new Field[4];
        try {
            f[0] = BrotliInputStream.class.getDeclaredField("state");
            Class<?> state = f[0].getType();
            f[1] = state.getDeclaredField("ringBuffer");
            f[2] = state.getDeclaredField("pos");
            f[3] = state.getDeclaredField("bytesWritten");
            for (Field x : f) {
                x.setAccessible(true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            f = new Field[4];
        }
        STATE = f[0];
        RING_BUFFER = f[1];
        POS = f[2];
        BYTES_WRITTEN = f[3];
    }

    /**
     * org.brotli:dec (0.1.2, its last release) hands out decoded bytes only when its ring buffer fills or the stream
     * ends, so a truncated stream of a few kilobytes, whose ring buffer never filled, yields nothing through the
     * stream API however much of it decoded. Those bytes left the handset all the same: they are read from the
     * decoder's ring buffer (from what was already handed out to where decoding stopped). Its reader pads the
     * missing input with zeros, so some garbage may follow them before it fails; that is searched too, harmlessly.
     */
    private static void salvage(BrotliInputStream in, ByteArrayOutputStream out, int maxOutput) {
        if (in == null || STATE == null) {
            return;
        }
        try {
            Object state = STATE.get(in);
            byte[] ring = (byte[]) RING_BUFFER.get(state);
            int pos = POS.getInt(state);
            int written = BYTES_WRITTEN.getInt(state);
            if (ring != null && pos <= ring.length && written >= 0 && written < pos) {
                out.write(ring, written, Math.min(pos - written, maxOutput - out.size()));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A decoder of another layout: nothing more to salvage.
        }
    }
}
