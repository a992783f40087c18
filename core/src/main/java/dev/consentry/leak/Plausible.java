package dev.consentry.leak;

/**
 * Whether a decoded hex or base64 run can hold anything worth searching: every canary form is printable ASCII of at
 * least 6 characters, and anything nested deeper starts with compression magic or holds such a run itself. Random
 * ids and numbers in JSON ("uid":"9f8e...", 13-digit timestamps are hex digits too) decode to bytes that are neither,
 * and skipping them is most of what keeps a JSON body fast.
 */
final class Plausible {
    private Plausible() {
    }

    static boolean worthSearching(byte[] d) {
        if (d.length >= 2 && (((d[0] & 0xff) == 0x1f && (d[1] & 0xff) == 0x8b)
                || ((d[0] & 0x0f) == 8 && ((d[0] & 0xff) << 8 | (d[1] & 0xff)) % 31 == 0))) {
            return true;
        }
        if (d.length >= 4 && (d[0] & 0xff) == 0x28 && (d[1] & 0xff) == 0xb5 && (d[2] & 0xff) == 0x2f
                && (d[3] & 0xff) == 0xfd) {
            return true;
        }
        int run = 0;
        for (byte b : d) {
            if (b >= 0x20 && b < 0x7f) {
                if (++run >= 6) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }
}
