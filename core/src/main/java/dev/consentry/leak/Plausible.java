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

    /** Fed the decoded bytes one at a time; says yes as soon as it can. */
    static final class Check {
        private int n;
        private int b0;
        private int b1;
        private int b2;
        /** Where {@link #text} stands: run * 4 + pending, as in {@link #TEXT}. */
        private int state;

        /** True once the bytes so far are worth searching (and then for good). */
        boolean add(byte b) {
            int v = b & 0xff;
            if (n < 4 && magic(v)) {
                return true;
            }
            n++;
            return text(v);
        }

        private boolean magic(int v) {
            switch (n) {
                case 0 -> b0 = v;
                case 1 -> {
                    b1 = v;
                    return (b0 == 0x1f && b1 == 0x8b) || ((b0 & 0x0f) == 8 && (b0 << 8 | b1) % 31 == 0);
                }
                case 2 -> b2 = v;
                default -> {
                    return b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && v == 0xfd;
                }
            }
            return false;
        }

        /**
         * Six characters in a row that text is made of: printable ASCII, or a whole UTF-8 sequence (names typed in
         * any script: "Ñandú Pérez" has no six ASCII letters in a row). One table read per byte, no branches to
         * mispredict on random bytes.
         */
        private boolean text(int v) {
            if (state >= 0) {
                state = TEXT[state << 8 | v];
            }
            return state < 0;
        }
    }

    /** Characters in a row so far (0-5) times 4 plus continuation bytes still expected (0-3), by byte: the next. */
    private static final int[] TEXT = new int[24 * 256];

    static {
        for (int run = 0; run < 6; run++) {
            for (int pending = 0; pending < 4; pending++) {
                for (int v = 0; v < 256; v++) {
                    TEXT[(run * 4 + pending) << 8 | v] = next(run, pending, v);
                }
            }
        }
    }

    /** The rule the table is made of: the next state, or -1 once six characters are in a row. */
    private static int next(int run, int pending, int v) {
        if (pending > 0) {
            if ((v & 0xc0) == 0x80) {
                if (--pending > 0) {
                    return run * 4 + pending;
                }
                return ++run >= 6 ? -1 : run * 4;
            }
            run = 0;
        }
        if (v >= 0x20 && v < 0x7f) {
            return ++run >= 6 ? -1 : run * 4;
        }
        if (v >= 0xc2 && v <= 0xf4) {
            return run * 4 + (v < 0xe0 ? 1 : v < 0xf0 ? 2 : 3);
        }
        return 0;
    }
}
