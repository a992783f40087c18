package dev.consentry.twin.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What makes one handset personally identifiable. Derived from the serial so a twin restarted with the same serial
 * is the same handset (its canaries stay stable across a run), while two serials never share an IMEI.
 *
 * @param phoneNumber E.164, "+9198xxxxxxxx" (an Indian mobile number, the Redmi 1S's home market)
 */
public record Identity(String serial, String imei, String phoneNumber, String androidId, String wifiMac) {
    // 86xxxx: a TAC range the GSMA allocated to Chinese manufacturers, so the IMEI looks like a Xiaomi's.
    private static final String TAC_PREFIX = "86";

    public Identity {
        Objects.requireNonNull(serial, "serial");
        if (!imei.matches("\\d{15}") || !luhnValid(imei)) {
            throw new IllegalArgumentException("IMEI must be 15 digits with a valid Luhn check digit: " + imei);
        }
        if (!phoneNumber.matches("\\+\\d{8,15}")) {
            throw new IllegalArgumentException("phone number must be E.164 (+ and digits): " + phoneNumber);
        }
        if (!androidId.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("android_id must be 16 lower-case hex digits: " + androidId);
        }
        if (!wifiMac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw new IllegalArgumentException("Wi-Fi MAC must be six lower-case hex pairs with colons: " + wifiMac);
        }
    }

    public static Identity derive(String serial, Optional<String> imei, Optional<String> phoneNumber) {
        byte[] h = sha256(serial);
        String derivedImei = withLuhn(TAC_PREFIX + digits(h, 0, 12));
        String derivedPhone = "+9198" + digits(h, 12, 8);
        String androidId = HexFormat.of().formatHex(h, 20, 28);
        // 64:09:80 is an OUI registered to Xiaomi, so the address reads like the handset's own factory MAC.
        String wifiMac = "64:09:80:" + HexFormat.ofDelimiter(":").formatHex(h, 28, 31);
        return new Identity(serial, imei.orElse(derivedImei), phoneNumber.orElse(derivedPhone), androidId, wifiMac);
    }

    /**
     * The same handset after its n-th factory reset: IMEI, number, serial and MAC are hardware or SIM and stay; the
     * Android ID is generated anew on the wiped /data.
     */
    public Identity afterFactoryReset(int n) {
        if (n <= 0) {
            return this;
        }
        String androidId = HexFormat.of().formatHex(sha256(serial + "/factory-reset/" + n), 0, 8);
        return new Identity(serial, imei, phoneNumber, androidId, wifiMac);
    }

    static String withLuhn(String body) {
        return body + luhnDigit(body);
    }

    /** The check digit that makes body+digit pass Luhn. */
    static int luhnDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(body.length() - 1 - i) - '0';
            // Doubling starts at the digit next to the (future) check digit.
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    public static boolean luhnValid(String number) {
        return luhnDigit(number.substring(0, number.length() - 1)) == number.charAt(number.length() - 1) - '0';
    }

    private static String digits(byte[] h, int from, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(Math.floorMod(h[from + i], 10));
        }
        return s.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
