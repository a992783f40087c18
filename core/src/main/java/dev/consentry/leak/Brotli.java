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
 * at most {@value #MAX_RATIO} times the input plus 1 KB; and when that meta-block's first prefix code is well formed
 * ({@link #firstCodeFits}). Of random bytes 0.08% (12 bytes) to 4% (64 KB) pass both (docs/leak-engine-rules.md,
 * "Undeclared brotli"); it is starting the decoder that costs (15-25 us, 12 of them constructing it; more when its
 * ring buffer is large, which the length bound limits);</li>
 * <li>the first {@value #PROBE} bytes out (or all, if fewer, also when the stream breaks there) must be plausible
 * ({@link Plausible}) before decoding goes on: of random blobs, a few in 100,000 get that far.</li>
 * </ul>
 *
 * <p>What comes out before damage (a truncated stream) is kept, as for gzip.
 */
public final class Brotli {
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
        for (int i = 0; i < HEADER_BYTES; i++) {
            v |= (head[i] & 0xffL) << (8 * i);
        }
        return headerFits(v, length);
    }

    /**
     * {@link #headerFits(byte[], int, int)} of the stream whose first {@link #HEADER_BYTES} bytes are {@code v}'s
     * low bytes, first byte lowest (the decoders assemble them from base64 or hex without an array).
     */
    static boolean headerFits(long v, int length) {
        // Nearly every header of random bytes (a JSON id or number decoded as base64) is refused for a reserved window,
        // an empty or metadata first block or, mostly, a length far over the bound: decided here by a table of the
        // first 12 bits and one compare, where branching on those random bits mispredicted about twice a call.
        int at = MLEN_AT[(int) v & 0xfff];
        long mlen1 = (v >>> (at & 0xf)) & ((1L << (16 + 4 * (at >> 4 & 3))) - 1) | (long) (at & 0x80) << 33;
        if (mlen1 >= (long) MAX_RATIO * length + 1024) {
            return false;
        }
        // Past the table, the header's first fields are known: where MLEN - 1 starts, its nibbles and ISLAST.
        int nibbles = (at >> 4 & 3) + 4;
        int pos = (at & 0xf) + 4 * nibbles;
        long mlen = mlen1 + 1;
        if (nibbles > 4 && (mlen1 >>> (4 * (nibbles - 1))) == 0) {
            return false; // a length with a superfluous zero nibble is invalid
        }
        if ((at & LAST) == 0 && ((v >>> pos) & 1) == 1) {
            return false; // stored uncompressed: the bytes stand there as they are, already searched
        }
        return mlen <= (long) MAX_RATIO * length + 1024;
    }

    /**
     * By a header's first 12 bits (which hold WBITS, ISLAST, ISLASTEMPTY and MNIBBLES): the bit where MLEN - 1 starts
     * (bits 0-3), MNIBBLES - 4 (bits 4-5) and ISLAST ({@link #LAST}), or 0x80 where those bits alone refuse the
     * stream. A flag of 0x80 makes its MLEN - 1 read as 2^40, over any bound.
     */
    private static final byte[] MLEN_AT = new byte[1 << 12];
    private static final int LAST = 0x40;

    static {
        for (int v = 0; v < MLEN_AT.length; v++) {
            int pos;
            boolean refused = false;
            if ((v & 1) == 0) {
                pos = 1; // WBITS 16
            } else if (((v >>> 1) & 7) != 0) {
                pos = 4; // WBITS 18-24
            } else {
                refused = ((v >>> 4) & 7) == 1; // reserved (the large-window marker, which this decoder does not read)
                pos = 7; // WBITS 10-15 or 17
            }
            boolean last = ((v >>> pos++) & 1) == 1;
            if (last) {
                refused |= ((v >>> pos++) & 1) == 1; // ISLASTEMPTY: nothing inside
            }
            int code = (v >>> pos) & 3;
            pos += 2;
            refused |= code == 3; // a metadata block first: encoders never write one there
            MLEN_AT[v] = (byte) (refused ? 0x80 : pos | code << 4 | (last ? LAST : 0));
        }
    }

    /**
     * Whether the first prefix code of the first meta-block is well formed (RFC 7932 sections 3.4, 3.5 and 9.2): its
     * code lengths must fill the code space exactly, which random bits rarely do. Reads the meta-block header again,
     * then the block type counts, distance parameters, context modes and tree counts up to the first prefix code
     * (of block types, of a context map, or of literals). Where another prefix code follows it at once (a block type
     * code's block count code, the literal code's insert-and-copy code), that one must be well formed too: about 1 in
     * 7 random headers pass the first check and 1 in 25 both, and starting the decoder on each that passes cost the
     * scan of random binary bodies ~2% when whole bodies became candidates. Data that runs out first is given the
     * benefit of the doubt. Costs well under a microsecond, where starting the decoder on the same bytes costs 15-25
     * (up to 180 on random bytes).
     */
    static boolean firstCodeFits(byte[] d) {
        Bits b = new Bits(d);
        if (b.read(1) == 1 && b.read(3) == 0) {
            b.read(3);
        }
        boolean last = b.read(1) == 1;
        if (last) {
            b.read(1);
        }
        int nibbles = b.read(2) + 4;
        b.read(4 * nibbles);
        if (!last) {
            b.read(1);
        }
        int literalTypes = 1;
        for (int category = 0; category < 3; category++) {
            int types = varLenUint8(b) + 1;
            if (types >= 2) {
                return b.out || prefixCodeFits(b, types + 2) && (b.out || prefixCodeFits(b, BLOCK_COUNT_SYMBOLS));
            }
        }
        b.read(2 + 4); // NPOSTFIX, NDIRECT
        b.read(2 * literalTypes); // context modes
        for (int map = 0; map < 2; map++) {
            int trees = varLenUint8(b) + 1;
            if (trees >= 2) {
                int rleMax = b.read(1) == 1 ? b.read(4) + 1 : 0;
                return b.out || prefixCodeFits(b, trees + rleMax);
            }
        }
        // NTREESL and NBLTYPESI are 1 here: one literal code, then the one insert-and-copy code.
        return b.out || prefixCodeFits(b, 256) && (b.out || prefixCodeFits(b, INSERT_AND_COPY_SYMBOLS));
    }

    private static final int BLOCK_COUNT_SYMBOLS = 26;
    private static final int INSERT_AND_COPY_SYMBOLS = 704;

    private static int varLenUint8(Bits b) {
        if (b.read(1) == 0) {
            return 0;
        }
        int n = b.read(3);
        return n == 0 ? 1 : (1 << n) + b.read(n);
    }

    /** The order in which code length code lengths are sent (RFC 7932 section 3.5). */
    private static final int[] CODE_LENGTH_ORDER = {1, 2, 3, 4, 0, 5, 17, 6, 16, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private static boolean prefixCodeFits(Bits b, int alphabet) {
        int hskip = b.read(2);
        if (hskip == 1) {
            // Simple: 1-4 distinct symbols below the alphabet size.
            int symbols = b.read(2) + 1;
            int width = 32 - Integer.numberOfLeadingZeros(alphabet - 1);
            int[] seen = new int[symbols];
            for (int i = 0; i < symbols; i++) {
                seen[i] = b.read(width);
                if (seen[i] >= alphabet) {
                    return b.out;
                }
                for (int k = 0; k < i; k++) {
                    if (seen[k] == seen[i]) {
                        return b.out;
                    }
                }
            }
            if (symbols == 4) {
                b.read(1); // tree-select: which of two shapes; read so that a code after this one starts right
            }
            return true;
        }
        // Complex: lengths of the code length code, read with a fixed code, must fill 32 (or be a single code).
        int[] lengths = new int[18];
        int space = 32;
        int codes = 0;
        for (int i = hskip; i < 18 && space > 0; i++) {
            int v = codeLengthCodeLength(b);
            lengths[CODE_LENGTH_ORDER[i]] = v;
            if (v != 0) {
                space -= 32 >> v;
                codes++;
            }
        }
        if (b.out) {
            return true;
        }
        if (codes != 1 && space != 0) {
            return false;
        }
        // Then the symbols' code lengths, read with that code, must fill 32768 exactly.
        Canonical code = new Canonical(lengths);
        space = 32768;
        int symbol = 0;
        int previous = 8;
        int repeat = 0;
        int repeatLength = 0;
        while (symbol < alphabet && space > 0) {
            int len = code.read(b);
            if (b.out) {
                return true;
            }
            if (len < 16) {
                repeat = 0;
                if (len != 0) {
                    previous = len;
                    space -= 32768 >> len;
                }
                symbol++;
                continue;
            }
            int extra = len == 16 ? 2 : 3;
            int newLength = len == 16 ? previous : 0;
            if (repeatLength != newLength) {
                repeat = 0;
                repeatLength = newLength;
            }
            int old = repeat;
            if (repeat > 0) {
                repeat = (repeat - 2) << extra;
            }
            repeat += b.read(extra) + 3;
            int delta = repeat - old;
            if (symbol + delta > alphabet) {
                return b.out;
            }
            if (repeatLength != 0) {
                space -= delta << (15 - repeatLength);
            }
            symbol += delta;
        }
        return b.out || space == 0;
    }

    /** The fixed code of code length code lengths (RFC 7932 section 3.5), bits read one at a time. */
    private static int codeLengthCodeLength(Bits b) {
        if (b.read(1) == 0) {
            return b.read(1) == 0 ? 0 : 3;
        }
        if (b.read(1) == 0) {
            return 4;
        }
        if (b.read(1) == 0) {
            return 2;
        }
        return b.read(1) == 0 ? 1 : 5;
    }

    /** A canonical prefix code of the 18 code length symbols, decoded a bit at a time (first bit read = MSB). */
    private static final class Canonical {
        private final int[] lengths;
        private final int[] codes = new int[18];
        private final int single;

        Canonical(int[] lengths) {
            this.lengths = lengths;
            int[] count = new int[6];
            int nonzero = 0;
            int last = 0;
            for (int s = 0; s < 18; s++) {
                count[lengths[s]]++;
                if (lengths[s] != 0) {
                    nonzero++;
                    last = s;
                }
            }
            single = nonzero == 1 ? last : -1;
            int[] next = new int[6];
            int c = 0;
            count[0] = 0;
            for (int len = 1; len <= 5; len++) {
                c = (c + count[len - 1]) << 1;
                next[len] = c;
            }
            for (int s = 0; s < 18; s++) {
                if (lengths[s] != 0) {
                    codes[s] = next[lengths[s]]++;
                }
            }
        }

        int read(Bits b) {
            if (single >= 0) {
                return single; // one symbol: no bits
            }
            int c = 0;
            for (int len = 1; len <= 5; len++) {
                c = c << 1 | b.read(1);
                for (int s = 0; s < 18; s++) {
                    if (lengths[s] == len && codes[s] == c) {
                        return s;
                    }
                }
            }
            b.out = true; // not a code: cannot happen when the lengths fill the space
            return 0;
        }
    }

    /** Bits least significant first; past the end it reads zeros and notes it. */
    private static final class Bits {
        private final byte[] d;
        private long at;
        boolean out;

        Bits(byte[] d) {
            this.d = d;
        }

        int read(int n) {
            int v = 0;
            for (int i = 0; i < n; i++, at++) {
                int index = (int) (at >>> 3);
                if (index >= d.length) {
                    out = true;
                    return v;
                }
                v |= ((d[index] >>> (at & 7)) & 1) << i;
            }
            return v;
        }
    }

    /**
     * @param bytes  the decompressed bytes, at most the cap asked for; of a truncated or corrupt stream, what came out
     *               before the damage
     * @param damage empty when the stream decoded whole (or filled the cap); else what was wrong and what was kept
     */
    record Decoded(byte[] bytes, String damage) {
    }

    /** Where brotli is declared: decoded in full, saying what was wrong with a stream that did not decode whole. */
    static Decoded decodeDeclared(byte[] data, int maxOutput) {
        String[] damage = {""};
        byte[] bytes = decode(data, maxOutput, false, damage);
        return new Decoded(bytes, damage[0]);
    }

    /**
     * Where nothing declares it: the decompressed bytes, at most {@code maxOutput}, if the data reads as brotli and
     * the start of what comes out is plausible; else an empty array.
     */
    static byte[] guess(byte[] data, int maxOutput) {
        if (!headerFits(data, data.length, data.length) || !firstCodeFits(data)) {
            return new byte[0];
        }
        return decode(data, maxOutput, true, new String[1]);
    }

    private static byte[] decode(byte[] data, int maxOutput, boolean probe, String[] damage) {
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
            int before = out.size();
            salvage(in, out, maxOutput);
            String how = out.size() > before ? " (read out of the decoder's ring buffer)" : "";
            if (!probe) {
                byte[] stored = storedPrefix(data, maxOutput);
                if (stored.length > out.size()) {
                    out.reset();
                    out.write(stored, 0, stored.length);
                    how = " (stored uncompressed: read from the stream as it stands)";
                }
            }
            damage[0] = "stream is cut short or corrupt (" + e.getMessage() + "): the " + out.size()
                    + " bytes decoded before the damage were searched" + how + ", the rest could not be decoded";
        }
        byte[] decoded = out.toByteArray();
        return checked || Plausible.worthSearching(decoded) ? decoded : new byte[0];
    }

    /**
     * Of a stream cut inside a meta-block stored uncompressed, the bytes of the stored meta-blocks from its start up to
     * the cut (RFC 7932 section 9.2); else nothing. An encoder stores what does not compress (quality 11 stores a gzip
     * stream so, as in a body sent "Content-Encoding: gzip, br"), and org.brotli:dec hands out nothing of a stored
     * meta-block cut short, nor its ring buffer anything: yet those bytes stand in the body as they are. Everything
     * else (a compressed meta-block, a last one, a reserved or non-zero bit where the format wants zero) leaves the
     * decoder's output as it is. Of random bodies about 1 in 16 still read as such a stream (BrotliTest): only bodies
     * whose declared brotli did not decode get here, reported as damage already, and they yield their own bytes.
     */
    public static byte[] storedPrefix(byte[] d, int maxOutput) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Bits b = new Bits(d);
        if (b.read(1) == 1 && b.read(3) == 0 && b.read(3) == 1) {
            return new byte[0]; // the reserved window code
        }
        while (out.size() < maxOutput) {
            if (b.read(1) == 1) {
                return new byte[0]; // ISLAST: a last meta-block is never stored, and the decoder read what came before
            }
            int code = b.read(2);
            if (code == 3) { // metadata: skipped
                int skipBytes = b.read(1) == 0 ? b.read(2) : -1;
                long skip = skipBytes <= 0 ? 0 : b.read(8 * skipBytes) + 1L;
                if (skipBytes < 0 || !zeroToByte(b) || (skipBytes > 1 && (skip - 1) >>> (8 * (skipBytes - 1)) == 0)) {
                    return new byte[0];
                }
                b.at += 8 * skip;
                continue;
            }
            int nibbles = code + 4;
            int length = b.read(4 * nibbles) + 1;
            if ((nibbles > 4 && (length - 1) >>> (4 * (nibbles - 1)) == 0) || b.read(1) != 1 || !zeroToByte(b)) {
                return new byte[0]; // invalid, or compressed: only the decoder can read on
            }
            if (b.out) {
                break;
            }
            int from = (int) (b.at >>> 3);
            int to = (int) Math.min(d.length, Math.min((long) from + length, (long) from + maxOutput - out.size()));
            out.write(d, from, to - from);
            if ((long) from + length > d.length) {
                return out.toByteArray(); // cut inside this one: what the decoder cannot give
            }
            b.at = 8L * (from + length);
        }
        return out.size() >= maxOutput ? out.toByteArray() : new byte[0];
    }

    /** Reads the bits up to the next byte boundary, which the format wants zero there. */
    private static boolean zeroToByte(Bits b) {
        int pad = (int) (-b.at & 7);
        return b.read(pad) == 0;
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
