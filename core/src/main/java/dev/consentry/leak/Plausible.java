package dev.consentry.leak;

/**
 * Whether a decoded hex or base64 run can hold anything worth searching: every canary form is text of at least 6
 * characters (printable ASCII or UTF-8), and anything nested deeper starts with compression magic or holds such a run
 * itself. Random ids and numbers in JSON ("uid":"9f8e...", 13-digit timestamps are hex digits too) decode to bytes that are neither,
 * and skipping them is most of what keeps a JSON body fast. The decoders ask while decoding ({@link Check}), so a run
 * that fails is never copied.
 */
final class Plausible {
    private Plausible() {
    }

    static boolean worthSearching(byte[] d) {
        Check c = new Check();
        for (byte b : d) {
            if (c.add(b)) {
                return true;
            }
        }
        return false;
    }

    /** The state of the text rule before any byte. */
    static final int START = 0;
    /** The state of the text rule once six characters were in a row; it stays there whatever follows. */
    static final int YES = 24;

    /**
     * The text rule's next state after byte {@code v} (0-255): {@link #YES} once six characters that text is made of
     * came in a row (printable ASCII, or a whole UTF-8 sequence: names typed in any script, "Ñandú Pérez" has no six
     * ASCII letters in a row). One table read, no branch, so a caller may test for {@link #YES} only now and then.
     */
    static int next(int state, int v) {
        return TEXT[state << 8 | v];
    }

    /**
     * The text rule over three bytes at once: the state {@link #next} would reach after {@code b0}, {@code b1},
     * {@code b2} (0-255 each), times {@link #GROUP}. The rule depends on a byte only through its class (printable,
     * continuation, lead of 2, 3 or 4, other), so the table is indexed by state and the three classes: one dependent
     * read per three bytes instead of three. States here are {@link #next}'s times {@link #GROUP}.
     */
    static int next3(int state3, int b0, int b1, int b2) {
        return TEXT3[state3 + CLASS[b0] * 36 + CLASS[b1] * 6 + CLASS[b2]];
    }

    /**
     * {@link #next3} for bytes given by their classes alone: {@code classes} is the first byte's {@link #classOf}
     * times 36 plus the second's times 6 plus the third's (what {@link Base64Alphabet#worthDecoding} reads off a
     * table of base64 character pairs, without decoding the bytes).
     */
    static int next3(int state3, int classes) {
        return TEXT3[state3 + classes];
    }

    /** The factor of {@link #next3}'s states: {@code START * GROUP}, {@code YES * GROUP}. */
    static final int GROUP = 216;

    /** Whether two first bytes are gzip's or zlib's magic. */
    static boolean magic(int b0, int b1) {
        return (b0 == 0x1f && b1 == 0x8b) || ((b0 & 0x0f) == 8 && (b0 << 8 | b1) % 31 == 0);
    }

    /** Whether four first bytes are zstd's magic. */
    static boolean magic(int b0, int b1, int b2, int b3) {
        return b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && b3 == 0xfd;
    }

    /** Fed the decoded bytes one at a time; says yes as soon as it can. */
    static final class Check {
        private int n;
        private int b0;
        private int b1;
        private int b2;
        private int state = START;

        /** True once the bytes so far are worth searching (and then for good). */
        boolean add(byte b) {
            int v = b & 0xff;
            if (n < 4 && magic(v)) {
                return true;
            }
            n++;
            state = next(state, v);
            return state == YES;
        }

        private boolean magic(int v) {
            switch (n) {
                case 0 -> b0 = v;
                case 1 -> {
                    b1 = v;
                    return Plausible.magic(b0, b1);
                }
                case 2 -> b2 = v;
                default -> {
                    return Plausible.magic(b0, b1, b2, v);
                }
            }
            return false;
        }
    }

    /** By state (characters in a row so far, 0-5, times 4 plus continuation bytes still expected, 0-3) and byte. */
    private static final int[] TEXT = new int[(YES + 1) * 256];
    /** Each byte's class for {@link #next3}: 0 other, 1 printable, 2 continuation, 3-5 lead of 2, 3, 4. */
    private static final byte[] CLASS = new byte[256];
    /** By {@link #next3}'s state (a multiple of {@link #GROUP}) plus the three classes in base 6. */
    private static final short[] TEXT3 = new short[(YES + 1) * GROUP];

    static {
        for (int run = 0; run < 6; run++) {
            for (int pending = 0; pending < 4; pending++) {
                for (int v = 0; v < 256; v++) {
                    TEXT[(run * 4 + pending) << 8 | v] = next(run, pending, v);
                }
            }
        }
        java.util.Arrays.fill(TEXT, YES << 8, (YES + 1) << 8, YES);
        byte[] representative = new byte[6];
        for (int v = 255; v >= 0; v--) {
            CLASS[v] = (byte) classOf(v);
            representative[CLASS[v]] = (byte) v;
        }
        for (int state = 0; state <= YES; state++) {
            for (int c = 0; c < GROUP; c++) {
                int s = next(next(next(state, representative[c / 36] & 0xff), representative[c / 6 % 6] & 0xff),
                        representative[c % 6] & 0xff);
                TEXT3[state * GROUP + c] = (short) (s * GROUP);
            }
        }
    }

    /** The bytes {@link #TEXT} treats alike: every byte of a class has the same row in every state. */
    static int classOf(int v) {
        if (v >= 0x20 && v < 0x7f) {
            return 1;
        }
        if ((v & 0xc0) == 0x80) {
            return 2;
        }
        if (v >= 0xc2 && v <= 0xf4) {
            return v < 0xe0 ? 3 : v < 0xf0 ? 4 : 5;
        }
        return 0;
    }

    /** The rule the table is made of: the next state, or {@link #YES} once six characters are in a row. */
    private static int next(int run, int pending, int v) {
        if (pending > 0) {
            if ((v & 0xc0) == 0x80) {
                if (--pending > 0) {
                    return run * 4 + pending;
                }
                return ++run >= 6 ? YES : run * 4;
            }
            run = 0;
        }
        if (v >= 0x20 && v < 0x7f) {
            return ++run >= 6 ? YES : run * 4;
        }
        if (v >= 0xc2 && v <= 0xf4) {
            return run * 4 + (v < 0xe0 ? 1 : v < 0xf0 ? 2 : 3);
        }
        return 0;
    }
}
