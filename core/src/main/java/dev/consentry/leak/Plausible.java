package dev.consentry.leak;

/**
 * Whether a decoded hex or base64 run can hold anything worth searching: every canary form is printable ASCII of at
 * least 6 characters, and anything nested deeper starts with compression magic or holds such a run itself. Random
 * ids and numbers in JSON ("uid":"9f8e...", 13-digit timestamps are hex digits too) decode to bytes that are neither,
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

        /** True once the bytes so far are worth searching (and then for good). */
        boolean add(byte b) {
            int v = b & 0xff;
            if (n >= 4) {
                if (v >= 0x20 && v < 0x7f) {
                    return ++run >= 6;
                }
                run = 0;
                return false;
            }
            switch (n) {
                case 0 -> b0 = v;
                case 1 -> {
                    b1 = v;
                    if ((b0 == 0x1f && b1 == 0x8b) || ((b0 & 0x0f) == 8 && (b0 << 8 | b1) % 31 == 0)) {
                        return true;
                    }
                }
                case 2 -> b2 = v;
                case 3 -> {
                    if (b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && v == 0xfd) {
                        return true;
                    }
                }
                default -> {
                }
            }
            n++;
            if (v >= 0x20 && v < 0x7f) {
                return ++run >= 6;
            }
            run = 0;
            return false;
        }
    }
}
