package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryForms;
import dev.consentry.canary.CanaryKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Canary forms that are numbers, as a protobuf message carries them in a number field: an IMEI, IMSI, ICCID or phone
 * number as {@code uint64}/{@code int64} (a varint), {@code sint64} (a zigzag varint) or {@code fixed64}, and an
 * Android ID or a Wi-Fi MAC as the 64- or 48-bit number its hex spells (Android's ANDROID_ID is one, printed in hex).
 * libphonenumber's {@code PhoneNumber} message, for one, sends the national number as a {@code uint64}. A number
 * field holds no digit characters, so the text search cannot see these; as raw digests, they are compared per field,
 * one look-up each. A location's coordinate is looked for in a {@code double} ({@code fixed64}, as Google's
 * {@code LatLng} sends it), at the canary's decimals, truncated or rounded as its text forms are, and in a varint as
 * degrees times 10^7 or 10^6 ({@code int32 latitude_e7} of Google's location messages, the E6 of Maps' old
 * {@code GeoPoint}), read to the canary's decimals the same way.
 *
 * <p>A {@code fixed32} is read only as a coordinate ({@code float}, or {@code sfixed32} E7 or E6, as embedded and
 * drone formats send them) and only when one of its four bytes is no printable ASCII: four printable bytes can equal a
 * number by chance in text that parses as a message (a header value "e" and four letters is field 12, wire type 5),
 * where a varint of 7 digits or more, or a {@code fixed64} of an IMEI, holds bytes no text has. That leaves out about
 * 5% of positive coordinates above 53.7 degrees in E7 and of positive floats from 2 degrees (their top byte is
 * printable, and so, by chance, are the other three); a negative one always has a byte of 0x80 or more. Phone numbers
 * are not read from a {@code fixed32}: its 32 bits hold few of them, and nothing sends them so. Numbers under
 * {@value #MIN_VALUE} are left out: counters and ids of that size abound.
 */
final class WireNumbers {
    static final String VARINT = "varint";
    static final String ZIGZAG = "zigzag";
    static final String FIXED64 = "fixed64";
    static final String DOUBLE = "double";
    static final String E7 = "e7";
    static final String E6 = "e6";
    static final String FLOAT = "float";
    static final String E7_FIXED32 = "sfixed32-e7";
    static final String E6_FIXED32 = "sfixed32-e6";
    static final long MIN_VALUE = 1_000_000;
    /** A key and the varint of {@link #MIN_VALUE} (three bytes): the shortest message that can hold one. */
    static final int SHORTEST_MESSAGE = 4;
    private static final Set<CanaryKind> DECIMAL = Set.of(CanaryKind.IMEI, CanaryKind.IMSI, CanaryKind.ICCID,
            CanaryKind.PHONE_NUMBER, CanaryKind.CONTACT_PHONE);
    private static final Set<CanaryKind> HEX = Set.of(CanaryKind.ANDROID_ID, CanaryKind.WIFI_MAC);

    /** One canary's form that is the number. */
    record Form(int canary, String form) {
    }

    private final Map<Long, List<Form>> byValue = new HashMap<>();
    /** Per number of decimals, the single-coordinate forms of location canaries with that many, by their text. */
    private final Map<Integer, Map<String, List<Form>>> coordinates = new TreeMap<>();
    /** The same forms by their digits at those decimals, sign kept ("-43.17290" is -4317290), for E7 and E6. */
    private final Map<Integer, Map<Long, List<Form>>> scaledCoordinates = new TreeMap<>();

    /** @param forms per canary, its {@link CanaryForms#of forms} */
    WireNumbers(List<Canary> canaries, List<List<String>> forms) {
        for (int c = 0; c < canaries.size(); c++) {
            Canary canary = canaries.get(c);
            if (canary.kind() == CanaryKind.LOCATION) {
                for (String form : forms.get(c)) {
                    // One coordinate in decimal degrees; not a pair, nor a whole-number E7 or E6 form.
                    if (form.indexOf(',') < 0 && form.indexOf('.') > 0) {
                        int decimals = form.length() - form.indexOf('.') - 1;
                        Form f = new Form(c, form);
                        coordinates.computeIfAbsent(decimals, k -> new HashMap<>())
                                .computeIfAbsent(form, k -> new ArrayList<>()).add(f);
                        if (decimals <= 7) {
                            scaledCoordinates.computeIfAbsent(decimals, k -> new HashMap<>())
                                    .computeIfAbsent(new BigDecimal(form).unscaledValue().longValueExact(),
                                            k -> new ArrayList<>()).add(f);
                        }
                    }
                }
                continue;
            }
            boolean decimal = DECIMAL.contains(canary.kind());
            if (!decimal && !HEX.contains(canary.kind())) {
                continue;
            }
            for (String form : forms.get(c)) {
                Long value = decimal ? decimal(form) : hex(form);
                if (value != null && Long.compareUnsigned(value, MIN_VALUE) >= 0) {
                    add(value, new Form(c, form), decimal);
                }
            }
        }
    }

    private void add(long value, Form form, boolean decimal) {
        List<Form> forms = byValue.computeIfAbsent(value, v -> new ArrayList<>());
        for (int i = 0; i < forms.size(); i++) {
            if (forms.get(i).canary() == form.canary()) {
                // Two forms of one canary, one number ("09876500001" and "9876500001", or a MAC in either case):
                // the one that is the number as printed speaks for both.
                if (decimal && form.form().equals(Long.toUnsignedString(value))) {
                    forms.set(i, form);
                }
                return;
            }
        }
        forms.add(form);
    }

    /** Digits only, 20 at most and within 64 bits unsigned; else null. */
    private static Long decimal(String form) {
        if (form.isEmpty() || form.length() > 20 || !form.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(form);
        } catch (NumberFormatException e) {
            return null; // a 20-digit ICCID above 2^64
        }
    }

    /** Hex digits only, 16 at most; else null. */
    private static Long hex(String form) {
        if (form.isEmpty() || form.length() > 16 || !form.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            return null;
        }
        return Long.parseUnsignedLong(form, 16);
    }

    boolean any() {
        return !byValue.isEmpty() || !coordinates.isEmpty();
    }

    /** Whether a field of this wire type and value is one of the numbers, read any of the ways {@link #match} reads. */
    boolean wanted(int wire, long value) {
        return switch (wire) {
            case 0 -> byValue.containsKey(value) || byValue.containsKey(zigzag(value))
                    || !scaledCoordinates.isEmpty() && (scaled(value, 7, E7, (f, e) -> { })
                    || scaled(value, 6, E6, (f, e) -> { }));
            case 1 -> byValue.containsKey(value) || !coordinates.isEmpty() && coordinate(value, (f, e) -> { });
            case 5 -> !coordinates.isEmpty() && fixed32(value, (f, e) -> { });
            default -> false;
        };
    }

    /**
     * Each canary form a number field's value is, with how it was read: {@link #VARINT}, {@link #ZIGZAG}, {@link #E7}
     * or {@link #E6} for wire type 0, {@link #FIXED64} or {@link #DOUBLE} for 1, {@link #FLOAT}, {@link #E7_FIXED32}
     * or {@link #E6_FIXED32} for 5 (the value in the low 32 bits).
     */
    void match(int wire, long value, BiConsumer<Form, String> out) {
        if (wire == 0) {
            each(value, VARINT, out);
            long z = zigzag(value);
            if (z != value) {
                each(z, ZIGZAG, out);
            }
            if (!scaledCoordinates.isEmpty()) {
                scaled(value, 7, E7, out);
                scaled(value, 6, E6, out);
            }
        } else if (wire == 1) {
            each(value, FIXED64, out);
            coordinate(value, out);
        } else if (wire == 5 && !coordinates.isEmpty()) {
            fixed32(value, out);
        }
    }

    /** A fixed32 as a float or a signed E7 or E6 coordinate, unless all four of its bytes could be text. */
    private boolean fixed32(long value, BiConsumer<Form, String> out) {
        int bits = (int) value;
        if (ProtobufWire.fixed32CouldBeText(bits)) {
            return false;
        }
        float f = Float.intBitsToFloat(bits);
        // The float's own shortest text (12.9716, not the 12.97159957... a widening to double would print).
        boolean any = Math.abs(f) <= 180 && f != 0 && coordinate(new BigDecimal(Float.toString(f)), FLOAT, out);
        if (!scaledCoordinates.isEmpty()) {
            any |= scaled(bits, 7, E7_FIXED32, out);
            any |= scaled(bits, 6, E6_FIXED32, out);
        }
        return any;
    }

    /**
     * Reports each coordinate form the double with these bits is, at that form's decimals, truncated or rounded; true
     * if any. The double's shortest decimal text decides (12.9716 is stored as 12.97159999..., which truncates to
     * 12.9715), as a client's printing of it would.
     */
    private boolean coordinate(long bits, BiConsumer<Form, String> out) {
        double d = Double.longBitsToDouble(bits);
        return coordinate(Math.abs(d) <= 180 && d != 0 ? BigDecimal.valueOf(d) : null, DOUBLE, out);
    }

    /** As {@link #coordinate(long, BiConsumer)}, for a value already read; null (NaN or out of range) is none. */
    private boolean coordinate(BigDecimal exact, String encoding, BiConsumer<Form, String> out) {
        if (exact == null || exact.signum() == 0 || exact.abs().compareTo(MAX_DEGREES) > 0) {
            return false; // NaN, out of range, or zero (a field left at its default)
        }
        boolean any = false;
        for (Map.Entry<Integer, Map<String, List<Form>>> e : coordinates.entrySet()) {
            String down = exact.setScale(e.getKey(), RoundingMode.DOWN).toPlainString();
            String halfUp = exact.setScale(e.getKey(), RoundingMode.HALF_UP).toPlainString();
            for (String text : down.equals(halfUp) ? List.of(down) : List.of(down, halfUp)) {
                List<Form> forms = e.getValue().get(text);
                if (forms != null) {
                    forms.forEach(f -> out.accept(f, encoding));
                    any = true;
                }
            }
        }
        return any;
    }

    private static final BigDecimal MAX_DEGREES = BigDecimal.valueOf(180);

    /**
     * Reports each coordinate form a varint is as degrees times 10^{@code scale}, at that form's decimals, truncated
     * or rounded (half away from zero, as BigDecimal's HALF_UP); true if any. A negative int32 or int64 arrives
     * sign-extended, so {@code value} is read as signed. Values under {@link #MIN_VALUE} are left out as for every
     * varint (0.5 degrees in E6 is 500000: counters and sizes of that size abound), and a varint of three bytes or
     * more holds a byte no text has.
     */
    private boolean scaled(long value, int scale, String encoding, BiConsumer<Form, String> out) {
        long magnitude = Math.abs(value);
        if (magnitude < MIN_VALUE || magnitude > 180 * POW10[scale]) {
            return false; // also Long.MIN_VALUE, whose abs stays negative
        }
        boolean any = false;
        for (Map.Entry<Integer, Map<Long, List<Form>>> e : scaledCoordinates.entrySet()) {
            int decimals = e.getKey();
            if (decimals > scale) {
                break; // E6 cannot tell a 7th decimal
            }
            long unit = POW10[scale - decimals];
            long down = value / unit;
            long halfUp = Long.signum(value) * ((magnitude + unit / 2) / unit);
            for (long digits : down == halfUp ? new long[]{down} : new long[]{down, halfUp}) {
                List<Form> forms = e.getValue().get(digits);
                if (forms != null) {
                    forms.forEach(f -> out.accept(f, encoding));
                    any = true;
                }
            }
        }
        return any;
    }

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    private void each(long value, String encoding, BiConsumer<Form, String> out) {
        List<Form> forms = byValue.get(value);
        if (forms != null) {
            forms.forEach(f -> out.accept(f, encoding));
        }
    }

    /** {@code sint64}'s decoding: 2n for n, 2n - 1 for -n. */
    static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
