package dev.consentry.canary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The spellings a canary may travel in. Firmware rarely sends a value exactly as the lab read it: phone numbers lose
 * their '+' or country code or gain spaces, IMEIs lose the Luhn check digit. A leak detector that looks only for the
 * value as read would pass handsets that leak.
 */
public final class CanaryForms {
    /** Fewer significant characters than this would match by chance in ordinary traffic (timestamps, sizes, ids). */
    public static final int MIN_SIGNIFICANT = 6;

    private CanaryForms() {
    }

    /**
     * All forms of the canary's value, the value as given first, without duplicates. Forms shorter than
     * {@link #MIN_SIGNIFICANT} (a national number of a short test number, say) are left out rather than risk noise.
     *
     * @throws IllegalArgumentException if the value itself is too short to match safely
     */
    public static List<String> of(Canary canary) {
        String value = canary.value();
        boolean numeric = isNumeric(canary.kind());
        int significant = numeric ? digits(value).length() : value.strip().length();
        if (significant < MIN_SIGNIFICANT) {
            throw new IllegalArgumentException(canary.kind().id() + " canary \"" + value + "\" is too short to match"
                    + " safely: " + significant + (numeric ? " digits" : " characters") + ", at least "
                    + MIN_SIGNIFICANT + " needed");
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        switch (canary.kind()) {
            case IMEI -> imeiForms(value, forms);
            case PHONE_NUMBER, CONTACT_PHONE -> phoneForms(value, forms);
            case CONTACT_EMAIL, ACCOUNT_EMAIL -> forms.add(value.toLowerCase(Locale.ROOT));
            default -> {
                // Names and opaque identifiers travel as typed; guessing spellings would only add false positives.
            }
        }
        List<String> out = new ArrayList<>();
        for (String f : forms) {
            int n = numeric ? digits(f).length() : f.strip().length();
            if (n >= MIN_SIGNIFICANT) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    private static boolean isNumeric(CanaryKind kind) {
        return switch (kind) {
            case IMEI, IMSI, ICCID, PHONE_NUMBER, CONTACT_PHONE -> true;
            default -> false;
        };
    }

    private static void imeiForms(String value, Set<String> forms) {
        String d = digits(value);
        forms.add(d);
        // TAC + serial without the Luhn digit: what many SDKs send (the check digit is "not part of the identity").
        if (d.length() == 15) {
            forms.add(d.substring(0, 14));
        }
    }

    private static void phoneForms(String value, Set<String> forms) {
        String trimmed = value.strip();
        String d = digits(trimmed);
        boolean international = trimmed.startsWith("+") || trimmed.startsWith("00");
        if (trimmed.startsWith("00")) {
            d = d.substring(2);
        }
        if (!international) {
            forms.add(d);
            grouped(d, forms);
            return;
        }
        forms.add("+" + d);
        forms.add(d);
        forms.add("00" + d);
        Optional<String> cc = CallingCodes.of(d);
        if (cc.isEmpty() || cc.get().length() >= d.length()) {
            return;
        }
        String national = d.substring(cc.get().length());
        forms.add(national);
        for (String sep : List.of(" ", "-")) {
            forms.add("+" + cc.get() + sep + national);
            forms.add(cc.get() + sep + national);
        }
        for (String g : grouped(national, forms)) {
            forms.add("+" + cc.get() + " " + g);
            forms.add("+" + cc.get() + "-" + g);
        }
        // (0xx) and 0-prefixed national numbers contain the plain national form, so they need no entry of their own.
    }

    /** Common human groupings of a national number; adds them and returns the ones it added. */
    private static List<String> grouped(String national, Set<String> forms) {
        List<int[]> layouts = new ArrayList<>();
        if (national.length() == 10) {
            layouts.add(new int[]{5, 5}); // India: 98765 43210
            layouts.add(new int[]{3, 3, 4}); // NANP and many others: 987 654 3210
            layouts.add(new int[]{4, 3, 3});
        } else if (national.length() == 9) {
            layouts.add(new int[]{3, 3, 3});
            layouts.add(new int[]{2, 3, 2, 2});
        } else if (national.length() == 11) {
            layouts.add(new int[]{3, 4, 4}); // China: 138 1234 5678
        } else if (national.length() >= 7) {
            layouts.add(new int[]{3, national.length() - 3});
        }
        List<String> added = new ArrayList<>();
        for (int[] layout : layouts) {
            for (String sep : List.of(" ", "-")) {
                StringBuilder s = new StringBuilder();
                int at = 0;
                for (int len : layout) {
                    if (at > 0) {
                        s.append(sep);
                    }
                    s.append(national, at, at + len);
                    at += len;
                }
                added.add(s.toString());
            }
            if (national.length() == 10 && layout[0] == 3) {
                added.add("(" + national.substring(0, 3) + ") " + national.substring(3, 6) + "-"
                        + national.substring(6));
            }
        }
        forms.addAll(added);
        return added;
    }

    private static String digits(String s) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                d.append(c);
            }
        }
        return d.toString();
    }
}
