package dev.consentry.canary;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a value can be what its kind says. A value that cannot (an IMEI of 17 digits, a MAC with a 'g', an e-mail
 * without '@', a line break in a name) would never match what a handset sends, so a run would search for it, find
 * nothing and pass: refused with the reason instead. Loose on purpose where real values vary: separators as people
 * and tools print them, an ICCID's 'F' padding, Android IDs without their leading zeros.
 */
final class CanaryShape {
    private static final Pattern DIGITS_AND_SEPARATORS = Pattern.compile("[0-9][0-9 \\-]*");
    private static final Pattern ICCID = Pattern.compile("[0-9][0-9 \\-]*[fF]?");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ().\\-/]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F:.\\-]+");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}");

    private CanaryShape() {
    }

    /** Why {@code value} cannot be a {@code kind}, or empty if it can. */
    static Optional<String> problem(CanaryKind kind, String value) {
        String v = value.strip();
        if (v.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("holds a control character (a line break or tab, say), which no " + kind.id()
                    + " has");
        }
        int digits = (int) v.chars().filter(c -> c >= '0' && c <= '9').count();
        return Optional.ofNullable(switch (kind) {
            case IMEI -> DIGITS_AND_SEPARATORS.matcher(v).matches() && digits >= 14 && digits <= 16 ? null
                    : "is not an IMEI: expected 14-16 digits (15 with the check digit, 16 as IMEISV), spaces or '-'"
                    + " between groups";
            case IMSI -> DIGITS_AND_SEPARATORS.matcher(v).matches() && digits <= 15 ? null
                    : "is not an IMSI: expected at most 15 digits";
            case ICCID -> ICCID.matcher(v).matches() && digits >= 18 && digits <= 22 ? null
                    : "is not an ICCID: expected 18-22 digits (an 'F' of padding may end it)";
            case PHONE_NUMBER, CONTACT_PHONE -> PHONE.matcher(v).matches() && digits <= 17 ? null
                    : "is not a phone number: expected digits, a leading '+' or 00, spaces, '-', '.', '/' or"
                    + " parentheses, at most 17 digits";
            case CONTACT_EMAIL, ACCOUNT_EMAIL -> EMAIL.matcher(v).matches() ? null
                    : "is not an e-mail address: expected one '@' between a name and a domain, no spaces";
            case ANDROID_ID -> HEX.matcher(v).matches() && v.length() <= 16 ? null
                    : "is not an Android ID: expected at most 16 hex digits (a 64-bit number)";
            case WIFI_MAC -> MAC.matcher(v).matches() ? null
                    : "is not a MAC address: expected hex digits, with ':', '-' or '.' between groups";
            case ADVERTISING_ID -> UUID.matcher(v).matches() ? null
                    : "is not an advertising ID: expected a UUID (8-4-4-4-12 hex digits, or 32 without '-')";
            case SERIAL -> v.chars().anyMatch(Character::isWhitespace)
                    ? "is not a serial number: it holds a space" : null;
            case CONTACT_NAME, LOCATION -> null; // names as typed; a location is checked where it is parsed
        });
    }
}
