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
        private int run;

        /** Continuation bytes still expected by a UTF-8 character begun earlier. */
        private int pending;

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
         * any script: "Ñandú Pérez" has no six ASCII letters in a row).
         */
        private boolean text(int v) {
            if (pending > 0) {
                if ((v & 0xc0) == 0x80) {
                    return --pending == 0 && ++run >= 6;
                }
                pending = 0;
                run = 0;
            }
            if (v >= 0x20 && v < 0x7f) {
                return ++run >= 6;
            }
            if (v >= 0xc2 && v <= 0xf4) {
                pending = v < 0xe0 ? 1 : v < 0xf0 ? 2 : 3;
                return false;
            }
            run = 0;
            return false;
        }
    }
}
