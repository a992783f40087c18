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
        CanaryKind kind = canary.kind();
        String sig = significant(kind, value);
        int weight = weight(sig);
        if (weight < MIN_SIGNIFICANT) {
            int count = sig.codePointCount(0, sig.length());
            throw new IllegalArgumentException(kind.id() + " canary \"" + value + "\" is too short to match"
                    + " safely: " + count + " " + unit(kind) + (weight == count ? ""
                    : ", which count as " + weight + " (Chinese, Japanese and Korean characters count twice)")
                    + ", at least " + MIN_SIGNIFICANT + " needed");
        }
        CanaryShape.problem(kind, value).ifPresent(problem -> {
            throw new IllegalArgumentException(kind.id() + " canary \"" + value + "\" " + problem);
        });
        refuseCommon(kind, value, sig);
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        switch (kind) {
            case IMEI -> imeiForms(value, forms);
            case IMSI -> forms.add(digits(value));
            case ICCID -> iccidForms(value, forms);
            case PHONE_NUMBER, CONTACT_PHONE -> phoneForms(value, forms);
            case CONTACT_EMAIL, ACCOUNT_EMAIL -> {
                forms.add(value.toLowerCase(Locale.ROOT));
                forms.add(value.toUpperCase(Locale.ROOT));
            }
            case ANDROID_ID, SERIAL -> {
                // Android prints these lower case, vendors' SDKs often upper case them.
                forms.add(value.toLowerCase(Locale.ROOT));
                forms.add(value.toUpperCase(Locale.ROOT));
            }
            case WIFI_MAC -> macForms(sig, forms);
            case ADVERTISING_ID -> uuidForms(value, forms);
            case LOCATION -> locationForms(kind, value, forms);
            default -> {
                // Names travel as typed; guessing spellings would only add false positives.
            }
        }
        List<String> out = new ArrayList<>();
        for (String f : forms) {
            if (weight(significant(kind, f)) >= MIN_SIGNIFICANT) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    private static String unit(CanaryKind kind) {
        return switch (kind) {
            case IMEI, IMSI, ICCID, PHONE_NUMBER, CONTACT_PHONE, LOCATION -> "digits";
            case WIFI_MAC -> "hex digits";
            default -> "characters";
        };
    }

    /**
     * What two canaries of one kind share when they are the same value spelled otherwise: its significant
     * characters, case folded where the kind's forms take both cases anyway. Names keep their case (as typed).
     */
    static String sameValue(Canary canary) {
        String sig = significant(canary.kind(), canary.value());
        return switch (canary.kind()) {
            case CONTACT_NAME -> sig;
            case ADVERTISING_ID -> sig.replace("-", "").toLowerCase(Locale.ROOT);
            default -> sig.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * How much the significant characters say: one each, but two for a Chinese, Japanese or Korean one. One of a few
     * thousand ideographs (or syllables) in common use is far less likely by chance than a letter or digit, and a
     * typical Chinese name has three: counted as letters, every such name would be refused as too short. Two of
     * them (4) still are: the commonest two-character names are shared by hundreds of thousands of people.
     */
    static int weight(String significant) {
        return significant.codePoints().map(cp -> switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, HANGUL -> 2;
            default -> 1;
        }).sum();
    }

    /** The characters that carry the value; separators and signs do not make a value any less likely by chance. */
    private static String significant(CanaryKind kind, String value) {
        return switch (kind) {
            case IMEI, IMSI, ICCID, PHONE_NUMBER, CONTACT_PHONE, LOCATION -> digits(value);
            case WIFI_MAC -> hexDigits(value);
            default -> value.strip();
        };
    }

    /**
     * Values shared by many handsets or made of one repeated character prove nothing when found: Android 2.2's
     * android_id bug value, the all-zero advertising id of a user who limited ad tracking, the fixed MAC Android 6+
     * reports to apps.
     */
    private static void refuseCommon(CanaryKind kind, String value, String sig) {
        String lower = sig.toLowerCase(Locale.ROOT);
        boolean oneChar = lower.chars().distinct().count() == 1;
        boolean sequence = isSequence(lower);
        boolean known = KNOWN_COMMON.contains(lower.replace("-", ""));
        if (oneChar || sequence || known) {
            throw new IllegalArgumentException(kind.id() + " canary \"" + value + "\" is too common to match"
                    + " safely: " + (known ? "a value many handsets share" : oneChar ? "one repeated character"
                    : "a run of consecutive digits"));
        }
        if (kind == CanaryKind.WIFI_MAC && sig.length() != 12) {
            throw new IllegalArgumentException("wifi_mac canary \"" + value + "\" is not a MAC address: expected 12"
                    + " hex digits, got " + sig.length());
        }
    }

    // "unknown" is what Build.SERIAL and getSerial() give an app without the permission (Android 8+).
    private static final Set<String> KNOWN_COMMON = Set.of("9774d56d682e549c", "020000000000",
            "00000000000000000000000000000000", "123456789abcdef", "0123456789abcdef", "unknown");

    private static boolean isSequence(String s) {
        if (s.length() < 2 || !s.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int step = s.charAt(1) - s.charAt(0);
        if (step != 1 && step != -1) {
            return false;
        }
        for (int i = 2; i < s.length(); i++) {
            if (s.charAt(i) - s.charAt(i - 1) != step) {
                return false;
            }
        }
        return true;
    }

    private static void iccidForms(String value, Set<String> forms) {
        String d = digits(value);
        forms.add(d);
        // Like the IMEI, the last digit is a Luhn check digit that some SDKs drop.
        if (d.length() >= 19) {
            forms.add(d.substring(0, d.length() - 1));
        }
    }

    private static void macForms(String hex, Set<String> forms) {
        for (String h : List.of(hex.toLowerCase(Locale.ROOT), hex.toUpperCase(Locale.ROOT))) {
            forms.add(h);
            for (String sep : List.of(":", "-")) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < 12; i += 2) {
                    if (i > 0) {
                        s.append(sep);
                    }
                    s.append(h, i, i + 2);
                }
                forms.add(s.toString());
            }
        }
    }

    private static void uuidForms(String value, Set<String> forms) {
        String v = value.strip();
        for (String c : List.of(v.toLowerCase(Locale.ROOT), v.toUpperCase(Locale.ROOT))) {
            forms.add(c);
            forms.add(c.replace("-", ""));
        }
    }

    /**
     * "lat,lon" in decimal degrees; the decimals given are the precision to match at. Coordinates travel in separate
     * fields far more often than as a pair, so each coordinate is a form of its own, truncated (what a client that
     * cuts digits sends, and a prefix of what one that sends more digits sends) and rounded.
     */
    private static void locationForms(CanaryKind kind, String value, Set<String> forms) {
        String[] parts = value.strip().split("\\s*,\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("location canary \"" + value + "\" is not \"lat,lon\" in decimal"
                    + " degrees");
        }
        java.math.BigDecimal lat;
        java.math.BigDecimal lon;
        try {
            lat = new java.math.BigDecimal(parts[0]);
            lon = new java.math.BigDecimal(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("location canary \"" + value + "\" is not \"lat,lon\" in decimal"
                    + " degrees");
        }
        int precision = Math.min(lat.scale(), lon.scale());
        if (precision < MIN_LOCATION_DECIMALS || lat.abs().compareTo(java.math.BigDecimal.valueOf(90)) > 0
                || lon.abs().compareTo(java.math.BigDecimal.valueOf(180)) > 0) {
            throw new IllegalArgumentException("location canary \"" + value + "\" is too coarse to match safely:"
                    + " give latitude (-90..90) and longitude (-180..180) with at least " + MIN_LOCATION_DECIMALS
                    + " decimals");
        }
        for (java.math.RoundingMode mode : List.of(java.math.RoundingMode.DOWN, java.math.RoundingMode.HALF_UP)) {
            String a = lat.setScale(precision, mode).toPlainString();
            String o = lon.setScale(precision, mode).toPlainString();
            forms.add(a + "," + o);
            forms.add(a + ", " + o);
            forms.add(a);
            forms.add(o);
        }
        scaledForms(lat, forms);
        scaledForms(lon, forms);
    }

    /**
     * A coordinate as a whole number of 10^-7 or 10^-6 degrees, as a client computes it from the double it holds:
     * Google's {@code latitudeE7} (Location History's JSON, its location protobufs), the E6 of Maps' old
     * {@code GeoPoint}. Rounded and cut (10.0049 * 1e7 is 100048999.99..., which a cast makes 100048999). In text only
     * the value as given can be spelled, which is what a planted location sends: the digits a real fix has beyond
     * the canary's decimals are unknown (a number field is read to the canary's decimals, see the leak engine's
     * WireNumbers). Fewer than 8 digits (under 10 degrees in E6) would match ordinary numbers, so those are left out.
     */
    private static void scaledForms(java.math.BigDecimal coordinate, Set<String> forms) {
        for (double scale : new double[]{1e7, 1e6}) {
            double product = coordinate.doubleValue() * scale;
            for (long whole : new long[]{Math.round(product), (long) product}) {
                String text = Long.toString(whole);
                if (digits(text).length() >= MIN_SCALED_DIGITS) {
                    forms.add(text);
                }
            }
        }
    }

    static final int MIN_SCALED_DIGITS = 8;

    /** 4 decimals are about 11 m: fewer would match other people's positions and ordinary decimals. */
    static final int MIN_LOCATION_DECIMALS = 4;

    private static void imeiForms(String value, Set<String> forms) {
        String d = digits(value);
        forms.add(d);
        // TAC + serial without the Luhn digit: what many SDKs send (the check digit is "not part of the identity").
        if (d.length() == 15) {
            forms.add(d.substring(0, 14));
        }
        if (d.length() == 14 || d.length() == 15) {
            // As printed with separators, with the check digit and without: 3GPP TS 23.003's AA-BBBBBB-CCCCCC-D,
            // TAC-serial-D, and before 2004 the 6-digit TAC and 2-digit FAC (AABBBB-CC-DDDDDD-E), by '-' or ' '.
            String serial = d.substring(8, 14);
            String check = d.length() == 15 ? d.substring(14) : null;
            for (String sep : List.of("-", " ")) {
                for (String body : List.of(d.substring(0, 2) + sep + d.substring(2, 8) + sep + serial,
                        d.substring(0, 8) + sep + serial, d.substring(0, 6) + sep + d.substring(6, 8) + sep + serial)) {
                    forms.add(body);
                    if (check != null) {
                        forms.add(body + sep + check);
                    }
                }
            }
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

    private static String hexDigits(String s) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.digit(c, 16) >= 0 && c < 128) {
                d.append(c);
            }
        }
        return d.toString();
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
