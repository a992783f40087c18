package dev.consentry.canary;

import java.util.Optional;
import java.util.Set;

/**
 * Splits an international number into country calling code and national number.
 *
 * <p>ITU-T E.164 calling codes form a prefix code: no code is the prefix of another. So the code of a number is fixed
 * by its leading digits alone: 1 and 7 are one-digit zones, the two-digit codes are listed below, and every other
 * leading pair starts a three-digit code. That makes a full table of 200+ three-digit codes unnecessary; unassigned
 * three-digit codes only ever yield an extra, harmless national form.
 */
public final class CallingCodes {
    private static final Set<String> TWO_DIGIT = Set.of(
            "20", "27",
            "30", "31", "32", "33", "34", "36", "39",
            "40", "41", "43", "44", "45", "46", "47", "48", "49",
            "51", "52", "53", "54", "55", "56", "57", "58",
            "60", "61", "62", "63", "64", "65", "66",
            "81", "82", "84", "86",
            "90", "91", "92", "93", "94", "95", "98");

    private CallingCodes() {
    }

    /** The calling code at the start of {@code digits} (an E.164 number without the '+'), if one can be read. */
    public static Optional<String> of(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        char first = digits.charAt(0);
        if (first == '0') {
            return Optional.empty(); // no calling code starts with 0: this is a national number with trunk prefix
        }
        if (first == '1' || first == '7') {
            return Optional.of(digits.substring(0, 1));
        }
        if (digits.length() >= 2 && TWO_DIGIT.contains(digits.substring(0, 2))) {
            return Optional.of(digits.substring(0, 2));
        }
        return digits.length() >= 3 ? Optional.of(digits.substring(0, 3)) : Optional.empty();
    }
}
