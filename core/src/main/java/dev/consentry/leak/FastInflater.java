package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A raw DEFLATE decoder (RFC 1951) in Java, for {@link InflateDecoder}'s fast path: on the bench's gzip'd JSON it
 * inflates faster than {@link java.util.zip.Inflater} (zlib 1.2.13) does through JNI. It decodes only streams it is
 * sure of: on anything unusual (corrupt or cut short, an incomplete Huffman code zlib might accept, output reaching the
 * cap) {@link #inflate} answers {@link #FAIL} and the caller starts over with {@code Inflater}, whose damage messages
 * and salvaged bytes stay the reference. When it succeeds its output and end position are zlib's.
 *
 * <p>Technique: a 64-bit bit buffer refilled with one little-endian 8-byte read while far from the input's end;
 * one table lookup per literal/length symbol (entries carry the literal, or the length base and extra-bit count, or a
 * pointer to a subtable for codes longer than the root bits); up to three literal entries per refill; a literal
 * entry right after a match taken without a branch (its bytes written anyway, its length masked); matches copied eight
 * bytes at a time when the distance allows; a fast loop while there is room in both input and output, and a
 * bounds-checked one-symbol step for the ends. An instance holds about 14 KB of tables; it serves one call at a time.
 */
final class FastInflater {
    static final int FAIL = -1;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    // Table entry (int): bits 0-4 the codeword length (whole code, also in subtables; for literals, of all of them).
    // Literals (sign bit set): bits 5-28 up to three literals, first in the lowest byte, bits 29-30 their count - 1;
    // a root table entry holds as many consecutive literals as its bits decode in full. Others: bits 8-11 the number
    // of extra bits (length, distance) or a subtable's index bits; bits 16-30 the base or subtable offset; flags below.
    private static final int LITERAL = 0x8000_0000; // sign bit: e < 0 is a literal
    private static final int SUB = 0x1000;
    private static final int EOB = 0x2000;
    private static final int INVALID = 0x4000;
    private static final int SPECIAL = SUB | EOB | INVALID;

    private static final int LB = 10; // literal/length root bits
    private static final int DB = 8; // distance root bits
    private static final int LMASK = (1 << LB) - 1;
    private static final int DMASK = (1 << DB) - 1;
    private static final int CB = 7; // code length code root bits (its codes have at most 7 bits: no subtables)

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
            67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
            5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
            769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
            11, 11, 12, 12, 13, 13};
    private static final int[] CODE_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** Per symbol, the entry without its codeword length. 286 and 287 (fixed codes only) are invalid, as in zlib. */
    private static final int[] LIT_SYMBOLS = new int[288];
    private static final int[] DIST_SYMBOLS = new int[32];
    private static final int[] CODE_SYMBOLS = new int[19];

    /** The fixed Huffman codes' tables (RFC 1951 3.2.6), built once and only read. */
    private static final int[] FIXED_LIT = new int[(1 << LB) + 512];
    private static final int[] FIXED_DIST = new int[(1 << DB) + 512];

    static {
        for (int s = 0; s < 256; s++) {
            LIT_SYMBOLS[s] = LITERAL | s << 5;
        }
        LIT_SYMBOLS[256] = EOB;
        for (int s = 257; s < 286; s++) {
            LIT_SYMBOLS[s] = LENGTH_BASE[s - 257] << 16 | LENGTH_EXTRA[s - 257] << 8;
        }
        LIT_SYMBOLS[286] = INVALID;
        LIT_SYMBOLS[287] = INVALID;
        for (int s = 0; s < 30; s++) {
            DIST_SYMBOLS[s] = DIST_BASE[s] << 16 | DIST_EXTRA[s] << 8;
        }
        DIST_SYMBOLS[30] = INVALID;
        DIST_SYMBOLS[31] = INVALID;
        for (int s = 0; s < 19; s++) {
            CODE_SYMBOLS[s] = s << 16;
        }
        int[] lens = new int[288];
        Arrays.fill(lens, 0, 144, 8);
        Arrays.fill(lens, 144, 256, 9);
        Arrays.fill(lens, 256, 280, 7);
        Arrays.fill(lens, 280, 288, 8);
        FastInflater builder = new FastInflater();
        if (!builder.build(lens, 0, 288, LIT_SYMBOLS, FIXED_LIT, LB, false)) {
            throw new IllegalStateException("fixed literal/length code");
        }
        builder.chainLiterals(FIXED_LIT, lens);
        Arrays.fill(lens, 0, 32, 5);
        if (!builder.build(lens, 0, 32, DIST_SYMBOLS, FIXED_DIST, DB, false)) {
            throw new IllegalStateException("fixed distance code");
        }
    }

    private final int[] litTable = new int[(1 << LB) + 512];
    private final int[] distTable = new int[(1 << DB) + 512];
    private final int[] codeTable = new int[1 << CB];
    private final int[] lens = new int[286 + 30];
    private final int[] count = new int[16];
    private final int[] next = new int[16];
    private final int[] sorted = new int[288];
    private final int[] codes = new int[288];
    private final int[] pending = new int[16];
    private final int[] link = new int[288];
    private int built; // how many codes the last build sorted

    private byte[] in;
    private int inPos;
    private long bits;
    private int bitCount;

    /** The output: the caller hands in a buffer and where to write; it may be replaced by a larger one. */
    byte[] out;
    int outPos;
    private int maxOutput;

    /**
     * Inflates the raw deflate stream starting at {@code in[start]} into {@link #out} from {@link #outPos}, keeping
     * the output below {@code maxOutput} bytes in all ({@link #out} grows, to at most that).
     *
     * @return where in {@code in} the stream ended (the byte after its last bit: zlib's end), or {@link #FAIL}
     */
    int inflate(byte[] in, int start, int maxOutput) {
        this.in = in;
        this.inPos = start;
        this.bits = 0;
        this.bitCount = 0;
        this.maxOutput = maxOutput;
        int memberStart = outPos;
        // A deflate block is at least 3 bits: a stream cannot hold more blocks than bits, which bounds the loop.
        for (long blocks = 0; blocks <= 8L * (in.length - start) + 8; blocks++) {
            if (!ensure()) {
                return FAIL;
            }
            int header = (int) bits & 7;
            consume(3);
            boolean ok;
            switch (header >>> 1) {
                case 0 -> ok = stored();
                case 1 -> ok = block(FIXED_LIT, FIXED_DIST, memberStart);
                case 2 -> ok = dynamic() && block(litTable, distTable, memberStart);
                default -> ok = false;
            }
            if (!ok) {
                return FAIL;
            }
            if ((header & 1) != 0) {
                int end = inPos - (bitCount >>> 3);
                return end <= in.length && outPos < maxOutput ? end : FAIL;
            }
        }
        return FAIL;
    }

    /** Lets go of the input and output arrays, so that a kept instance holds only its tables. */
    void release() {
        in = null;
        out = null;
    }

    private void consume(int n) {
        bits >>>= n;
        bitCount -= n;
    }

    /**
     * Fills the bit buffer to at least 56 bits. Past the input's end it adds zero bytes, which a valid stream never
     * reaches: once bits of them have been consumed, the stream is cut short.
     */
    private boolean ensure() {
        if (inPos <= in.length - 8) {
            bits |= (long) LONGS.get(in, inPos) << bitCount;
            inPos += (63 - bitCount) >>> 3;
            bitCount |= 56;
            return true;
        }
        if (8L * inPos - bitCount > 8L * in.length) {
            return false;
        }
        while (bitCount <= 56) {
            if (inPos < in.length) {
                bits |= (in[inPos] & 0xffL) << bitCount;
            }
            inPos++;
            bitCount += 8;
        }
        return true;
    }

    private boolean stored() {
        int at = inPos - (bitCount >>> 3); // the partial byte's bits are dropped
        bits = 0;
        bitCount = 0;
        if (at + 4 > in.length) {
            return false;
        }
        int len = (in[at] & 0xff) | (in[at + 1] & 0xff) << 8;
        int nlen = (in[at + 2] & 0xff) | (in[at + 3] & 0xff) << 8;
        if ((len ^ 0xffff) != nlen || at + 4 + len > in.length || !room(len)) {
            return false;
        }
        System.arraycopy(in, at + 4, out, outPos, len);
        outPos += len;
        inPos = at + 4 + len;
        return true;
    }

    /** Room for {@code n} more output bytes, growing {@link #out}; false when the output would reach the cap. */
    private boolean room(int n) {
        if (outPos + n <= out.length) {
            return true;
        }
        if ((long) outPos + n >= maxOutput) {
            return false;
        }
        out = Arrays.copyOf(out, (int) Math.min(maxOutput, Math.max(2L * out.length, outPos + n)));
        return true;
    }

    /** Reads a dynamic block's code lengths and builds its tables (RFC 1951 3.2.7), as strictly as zlib or more. */
    private boolean dynamic() {
        if (!ensure()) {
            return false;
        }
        int nlit = ((int) bits & 31) + 257;
        int ndist = ((int) (bits >>> 5) & 31) + 1;
        int ncode = ((int) (bits >>> 10) & 15) + 4;
        consume(14);
        if (nlit > 286 || ndist > 30) {
            return false;
        }
        int[] lens = this.lens;
        Arrays.fill(lens, 0, 19, 0);
        for (int i = 0; i < ncode; i++) {
            if (bitCount < 3 && !ensure()) {
                return false;
            }
            lens[CODE_ORDER[i]] = (int) bits & 7;
            consume(3);
        }
        if (!build(lens, 0, 19, CODE_SYMBOLS, codeTable, CB, false)) {
            return false;
        }
        int n = nlit + ndist;
        int i = 0;
        while (i < n) {
            if (bitCount < 14 && !ensure()) {
                return false;
            }
            int e = codeTable[(int) bits & ((1 << CB) - 1)];
            consume(e & 31);
            int sym = e >>> 16;
            if (sym < 16) {
                lens[i++] = sym;
                continue;
            }
            int value;
            int repeat;
            if (sym == 16) {
                if (i == 0) {
                    return false;
                }
                value = lens[i - 1];
                repeat = 3 + ((int) bits & 3);
                consume(2);
            } else if (sym == 17) {
                value = 0;
                repeat = 3 + ((int) bits & 7);
                consume(3);
            } else {
                value = 0;
                repeat = 11 + ((int) bits & 127);
                consume(7);
            }
            if (i + repeat > n) {
                return false;
            }
            Arrays.fill(lens, i, i + repeat, value);
            i += repeat;
        }
        if (lens[256] == 0) {
            return false; // no end-of-block code
        }
        if (!build(lens, 0, nlit, LIT_SYMBOLS, litTable, LB, false)) {
            return false;
        }
        chainLiterals(litTable, lens);
        return build(lens, nlit, ndist, DIST_SYMBOLS, distTable, DB, true);
    }

    /**
     * Makes each root entry that decodes a literal hold the literals that follow it too, up to three, as far as the
     * entry's index bits decode them in full: text is mostly literals, and one lookup then writes two or three. Run
     * right after {@link #build} made {@code table} from {@code lens}, whose sorted codes it reads.
     */
    private void chainLiterals(int[] table, int[] lens) {
        // Two literal codes whose lengths add up to LB or fewer are stored together like one code of that length, at
        // every entry whose bits start with both; three likewise, over those pairs. This stores each chained entry
        // once and visits only the pairs and triples there are: a pass over all 2^LB entries, looking up what
        // follows each, cost about as much as the rest of the table's set-up.
        int[] lit = this.link; // free again after build: length | reversed code << 4 | byte << 16, shortest first
        int m = 0;
        for (int k = 0; k < built; k++) {
            int len = lens[sorted[k]];
            if (len >= LB) {
                break;
            }
            if (sorted[k] < 256) {
                lit[m++] = len | (Integer.reverse(codes[k]) >>> (32 - len)) << 4 | sorted[k] << 16;
            }
        }
        int size = 1 << LB;
        int shortest = m == 0 ? LB : lit[0] & 15;
        for (int a = 0; a < m && (lit[a] & 15) + shortest <= LB; a++) {
            int la = lit[a] & 15;
            for (int b = 0; b < m && la + (lit[b] & 15) <= LB; b++) {
                int used = la + (lit[b] & 15);
                int entry = LITERAL | 1 << 29 | (lit[a] >>> 16 | (lit[b] >>> 16) << 8) << 5 | used;
                for (int r = (lit[a] >>> 4 & 0xfff) | (lit[b] >>> 4 & 0xfff) << la; r < size; r += 1 << used) {
                    table[r] = entry;
                }
            }
        }
        for (int a = 0; a < m && (lit[a] & 15) + 2 * shortest <= LB; a++) {
            int la = lit[a] & 15;
            for (int b = 0; b < m && la + (lit[b] & 15) + shortest <= LB; b++) {
                int lab = la + (lit[b] & 15);
                for (int c = 0; c < m && lab + (lit[c] & 15) <= LB; c++) {
                    int used = lab + (lit[c] & 15);
                    int entry = LITERAL | 2 << 29 | (lit[a] >>> 16 | (lit[b] >>> 16) << 8 | (lit[c] >>> 16) << 16) << 5
                            | used;
                    int r0 = (lit[a] >>> 4 & 0xfff) | (lit[b] >>> 4 & 0xfff) << la | (lit[c] >>> 4 & 0xfff) << lab;
                    for (int r = r0; r < size; r += 1 << used) {
                        table[r] = entry;
                    }
                }
            }
        }
    }

    /**
     * Builds a decoding table for the canonical Huffman code of {@code lens[off, off + n)}. Over-subscribed codes are
     * refused; incomplete ones too, except (where {@code incompleteOk}) none or a single one-bit code, the only
     * incomplete distance codes zlib accepts; the table's holes decode as invalid.
     */
    private boolean build(int[] lens, int off, int n, int[] symbols, int[] table, int root, boolean incompleteOk) {
        int[] count = this.count;
        Arrays.fill(count, 0);
        for (int s = 0; s < n; s++) {
            count[lens[off + s]]++;
        }
        count[0] = 0;
        int left = 1;
        int max = 0;
        for (int len = 1; len < 16; len++) {
            left = (left << 1) - count[len];
            if (left < 0) {
                return false;
            }
            if (count[len] != 0) {
                max = len;
            }
        }
        if (left > 0 && (!incompleteOk || max > 1)) {
            return false;
        }
        int[] next = this.next;
        next[1] = 0;
        for (int len = 1; len < 15; len++) {
            next[len + 1] = next[len] + count[len];
        }
        int total = next[15] + count[15];
        built = total;
        int[] sorted = this.sorted;
        for (int s = 0; s < n; s++) {
            int len = lens[off + s];
            if (len != 0) {
                sorted[next[len]++] = s;
            }
        }
        // Canonical codes in order of (length, symbol).
        int[] codes = this.codes;
        int code = 0;
        int prevLen = 0;
        for (int k = 0; k < total; k++) {
            int len = lens[off + sorted[k]];
            code <<= len - prevLen;
            prevLen = len;
            codes[k] = code++;
        }
        // The root table, shortest codes first and doubled after each length (libdeflate's way): after length len the
        // first 2^len entries are final for every code of len bits or fewer, and one arraycopy repeats them; each code
        // is stored once, not at every 2^len-th entry (the set-up of each dynamic block is ~8% of inflating the
        // bench's 23 KB bodies). A length or distance whose extra bits fit in the root goes in at the length of its
        // code and extra bits together, one entry per value. The first two entries start as an incomplete code's
        // holes (a complete code overwrites them).
        int size = 1 << root;
        int[] pending = this.pending;
        int[] link = this.link;
        Arrays.fill(pending, 0, root + 1, -1);
        table[0] = INVALID | 1;
        table[1] = INVALID | 1;
        int k = 0;
        for (int len = 1; len <= root; len++) {
            if (len > 1) {
                System.arraycopy(table, 0, table, 1 << (len - 1), 1 << (len - 1));
            }
            for (; k < total && lens[off + sorted[k]] == len; k++) {
                int symbol = symbols[sorted[k]];
                int extra = symbol < 0 || (symbol & SPECIAL) != 0 ? 0 : (symbol >>> 8) & 15;
                if (extra > 0 && len + extra <= root) {
                    link[k] = pending[len + extra];
                    pending[len + extra] = k;
                    continue;
                }
                table[Integer.reverse(codes[k]) >>> (32 - len)] = withLength(symbol, len);
            }
            for (int p = pending[len]; p >= 0; p = link[p]) {
                int codeLength = lens[off + sorted[p]];
                int symbol = symbols[sorted[p]] & ~0xff00;
                int reversed = Integer.reverse(codes[p]) >>> (32 - codeLength);
                for (int v = 0; v < 1 << (len - codeLength); v++) {
                    table[reversed | v << codeLength] = symbol + (v << 16) | len;
                }
            }
        }
        int subAt = size;
        // Longer codes: those sharing their first root bits are consecutive; the last of them is the longest.
        while (k < total) {
            int len = lens[off + sorted[k]];
            int prefix = codes[k] >>> (len - root);
            int last = k;
            while (last + 1 < total) {
                int l2 = lens[off + sorted[last + 1]];
                if (codes[last + 1] >>> (l2 - root) != prefix) {
                    break;
                }
                last++;
            }
            int subBits = lens[off + sorted[last]] - root;
            if (subAt + (1 << subBits) > table.length) {
                return false;
            }
            table[Integer.reverse(prefix) >>> (32 - root)] = SUB | subAt << 16 | subBits << 8;
            for (; k <= last; k++) {
                int l = lens[off + sorted[k]];
                int entry = withLength(symbols[sorted[k]], l);
                int r = Integer.reverse(codes[k]) >>> (32 - l);
                for (int j = r >>> root; j < 1 << subBits; j += 1 << (l - root)) {
                    table[subAt + j] = entry;
                }
            }
            subAt += 1 << subBits;
        }
        return true;
    }

    /** A symbol's entry: a length or distance consumes its codeword and its extra bits together. */
    private static int withLength(int symbol, int codeLength) {
        return symbol < 0 || (symbol & SPECIAL) != 0 ? symbol | codeLength
                : symbol | (codeLength + ((symbol >>> 8) & 15));
    }

    /** Decodes one block's symbols up to its end-of-block code. */
    private boolean block(int[] lit, int[] dist, int memberStart) {
        byte[] in = this.in;
        long bits = this.bits;
        int bitCount = this.bitCount;
        int ip = this.inPos;
        int op = this.outPos;
        byte[] out = this.out;
        int inFast = in.length - 16; // two refills of 8 bytes per round
        // Each symbol ends when it ends; the bound only guards against a table error looping for ever.
        for (long guard = 0; guard < (1L << 40); guard++) {
            int outFast = out.length - 280; // a 258-byte match and its 16-byte overshoot, or a 4-byte literal write
            if (ip <= inFast && op <= outFast) {
                bits |= (long) LONGS.get(in, ip) << bitCount;
                ip += (63 - bitCount) >>> 3;
                bitCount |= 56;
                // The next symbol's entry is looked up before the refill and the match copy (from bits already in
                // the buffer), so that neither delays it: decoding is one long chain of dependent lookups.
                int e = lit[(int) bits & LMASK];
                do {
                    // Here 46 bits or more are in the buffer and e is the entry for the lowest of them.
                    int n = e & 31;
                    long saved = bits;
                    bits >>>= n;
                    bitCount -= n;
                    if (e < 0) {
                        INTS.set(out, op, e >>> 5); // the fourth byte is overwritten by what follows
                        op += (e >>> 29 & 3) + 1;
                        e = lit[(int) bits & LMASK];
                        // The second entry is taken without a branch (see after a match below); the third, if
                        // literal too, with one (36 bits or more are left before the first, 16 after the third).
                        int m = e >> 31;
                        INTS.set(out, op, e >>> 5);
                        op += ((e >>> 29 & 3) + 1) & m;
                        n = e & 31 & m;
                        bits >>>= n;
                        bitCount -= n;
                        e = lit[(int) bits & LMASK];
                        if (e < 0) {
                            n = e & 31;
                            bits >>>= n;
                            bitCount -= n;
                            INTS.set(out, op, e >>> 5);
                            op += (e >>> 29 & 3) + 1;
                            e = lit[(int) bits & LMASK];
                        }
                        bits |= (long) LONGS.get(in, ip) << bitCount;
                        ip += (63 - bitCount) >>> 3;
                        bitCount |= 56;
                        continue;
                    }
                    if ((e & SPECIAL) != 0) {
                        if ((e & SUB) != 0) { // a pointer consumes nothing: the subtable entry has the whole length
                            e = lit[(e >>> 16) + ((int) (bits >>> LB) & ((1 << ((e >>> 8) & 15)) - 1))];
                            n = e & 31;
                            saved = bits;
                            bits >>>= n;
                            bitCount -= n;
                            if (e < 0) {
                                out[op++] = (byte) (e >>> 5);
                                e = lit[(int) bits & LMASK];
                                bits |= (long) LONGS.get(in, ip) << bitCount;
                                ip += (63 - bitCount) >>> 3;
                                bitCount |= 56;
                                continue;
                            }
                        }
                        if ((e & EOB) != 0) {
                            this.bits = bits;
                            this.bitCount = bitCount;
                            this.inPos = ip;
                            this.outPos = op;
                            return true;
                        }
                        if ((e & INVALID) != 0) {
                            return false;
                        }
                    }
                    // A length (at most 20 bits, so 36 remain): its extra bits are read off the saved buffer.
                    int extra = (e >>> 8) & 15;
                    int length = (e >>> 16) + ((int) (saved >>> (n - extra)) & ((1 << extra) - 1));
                    int d = dist[(int) bits & DMASK];
                    if (bitCount < 28 + LB) { // a distance takes up to 28 bits; the next lookup needs LB more
                        bits |= (long) LONGS.get(in, ip) << bitCount;
                        ip += (63 - bitCount) >>> 3;
                        bitCount |= 56;
                    }
                    if ((d & SPECIAL) != 0) {
                        if ((d & SUB) != 0) {
                            d = dist[(d >>> 16) + ((int) (bits >>> DB) & ((1 << ((d >>> 8) & 15)) - 1))];
                        }
                        if ((d & INVALID) != 0) {
                            return false;
                        }
                    }
                    n = d & 31;
                    extra = (d >>> 8) & 15;
                    saved = bits;
                    bits >>>= n;
                    bitCount -= n;
                    int distance = (d >>> 16) + ((int) (saved >>> (n - extra)) & ((1 << extra) - 1));
                    e = lit[(int) bits & LMASK];
                    bits |= (long) LONGS.get(in, ip) << bitCount;
                    ip += (63 - bitCount) >>> 3;
                    bitCount |= 56;
                    if (distance > op - memberStart) {
                        return false;
                    }
                    if (length <= 16 && distance >= 16) {
                        // Most matches (length 3-16, from far back): two words here, without copy()'s further tests.
                        // 1.045 and 1.044x in two JVMs on the bench's gzip bodies (four copies of each compiled apart).
                        LONGS.set(out, op, (long) LONGS.get(out, op - distance));
                        LONGS.set(out, op + 8, (long) LONGS.get(out, op - distance + 8));
                    } else {
                        copy(out, op, distance, op + length);
                    }
                    op += length;
                    // Whether a literal follows a match is a coin toss the processor mispredicts: a literal entry
                    // next is taken without a branch. Its bytes are written either way (a match or the end of the
                    // block overwrites or ignores them: a copy writes 8 bytes or more at op and reads only below
                    // op, except for distances 8-15, whose garbage words it overwrites itself); op and the bits
                    // move on by the entry's counts masked to 0 unless it is a literal (m is -1 for one, else 0).
                    // On the bench's gzip bodies, 1.08-1.11x the speed of branching here (one JVM, old and new
                    // alternating); more such steps lengthen the chain of lookups and lose (0.85x with one more).
                    int m = e >> 31;
                    INTS.set(out, op, e >>> 5);
                    op += ((e >>> 29 & 3) + 1) & m;
                    n = e & 31 & m;
                    bits >>>= n;
                    bitCount -= n;
                    e = lit[(int) bits & LMASK];
                } while (ip <= inFast && op <= outFast);
                // e was only looked up: nothing of it is consumed.
            }
            // Near the end of the input or of the output buffer: one symbol with every bound checked, in a method of
            // its own. With it inline, C2 compiled the fast loop 4-8% slower (bench bodies, four copies of each
            // compiled apart in one JVM, three JVMs: 1.039, 1.084 and 1.049 against 0.99-1.005 for the same code).
            this.bits = bits;
            this.bitCount = bitCount;
            this.inPos = ip;
            this.outPos = op;
            int status = step(lit, dist, memberStart);
            if (status <= 0) {
                return status == 0;
            }
            bits = this.bits;
            bitCount = this.bitCount;
            ip = this.inPos;
            op = this.outPos;
            out = this.out;
        }
        return false;
    }

    /** Decodes one symbol from the fields' state: 1 to go on, 0 at the end of the block, -1 on anything unusual. */
    private int step(int[] lit, int[] dist, int memberStart) {
        if (!ensure()) {
            return -1;
        }
        long bits = this.bits;
        int bitCount = this.bitCount;
        int op = this.outPos;
        int e = lit[(int) bits & LMASK];
        if ((e & SUB) != 0 && e >= 0) {
            e = lit[(e >>> 16) + ((int) (bits >>> LB) & ((1 << ((e >>> 8) & 15)) - 1))];
        }
        int n = e & 31;
        long before = bits;
        bits >>>= n;
        bitCount -= n;
        this.bits = bits;
        this.bitCount = bitCount;
        if (e < 0) {
            int literals = (e >>> 29 & 3) + 1;
            if (!room(literals)) {
                return -1;
            }
            byte[] out = this.out;
            for (int k = 0; k < literals; k++) {
                out[op++] = (byte) (e >>> 5 + 8 * k);
            }
            this.outPos = op;
            return 1;
        }
        if ((e & EOB) != 0) {
            return 0;
        }
        if ((e & INVALID) != 0) {
            return -1;
        }
        int extra = (e >>> 8) & 15;
        int length = (e >>> 16) + ((int) (before >>> (n - extra)) & ((1 << extra) - 1));
        int d = dist[(int) bits & DMASK];
        if ((d & SUB) != 0) {
            d = dist[(d >>> 16) + ((int) (bits >>> DB) & ((1 << ((d >>> 8) & 15)) - 1))];
        }
        if ((d & INVALID) != 0) {
            return -1;
        }
        n = d & 31;
        extra = (d >>> 8) & 15;
        before = bits;
        this.bits = bits >>> n;
        this.bitCount = bitCount - n;
        int distance = (d >>> 16) + ((int) (before >>> (n - extra)) & ((1 << extra) - 1));
        if (distance > op - memberStart || !room(length)) {
            return -1;
        }
        byte[] out = this.out;
        if (op + length + 16 <= out.length) {
            copy(out, op, distance, op + length);
            op += length;
        } else {
            for (int end = op + length; op < end; op++) {
                out[op] = out[op - distance];
            }
        }
        this.outPos = op;
        return 1;
    }

    /**
     * Copies a match of {@code end - op} bytes from {@code distance} back, writing up to 16 bytes past {@code end}
     * (the caller leaves that room; what follows overwrites them).
     */
    private static void copy(byte[] out, int op, int distance, int end) {
        int src = op - distance;
        if (distance >= 16) {
            // Most matches are short: two words without a test, then the rest.
            LONGS.set(out, op, (long) LONGS.get(out, src));
            LONGS.set(out, op + 8, (long) LONGS.get(out, src + 8));
            op += 16;
            src += 16;
            if (end - op > 48 && distance >= end - op) {
                System.arraycopy(out, src, out, op, end - op); // long and apart: the JDK's wide copy
                return;
            }
            while (op < end) {
                LONGS.set(out, op, (long) LONGS.get(out, src));
                op += 8;
                src += 8;
            }
        } else if (distance >= 8) {
            // Two words per period, each loaded from where the previous round stored one: the processor forwards
            // a load from a store of the same place and size, not from two stores it straddles.
            do {
                long low = (long) LONGS.get(out, src);
                long high = (long) LONGS.get(out, src + 8);
                LONGS.set(out, op, low);
                LONGS.set(out, op + 8, high);
                op += distance;
                src += distance;
            } while (op < end);
        } else {
            // A short period: the pattern repeated in a word, stored at steps of whole periods.
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (out[src + i % distance] & 0xffL) << (i << 3);
            }
            int step = distance * (8 / distance);
            do {
                LONGS.set(out, op, v);
                op += step;
            } while (op < end);
        }
    }
}
