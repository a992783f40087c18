package dev.consentry.twin.net;

import dev.consentry.twin.firmware.BodySpec.Encode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** A body field's encoding steps, applied to the filled template's UTF-8 bytes in the order the firmware lists them. */
final class FieldEncoding {
    private FieldEncoding() {
    }

    static String apply(String value, List<Encode> steps) {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        boolean raw = false;
        for (Encode step : steps) {
            data = switch (step) {
                case NONE -> data;
                case BASE64 -> ascii(Base64.getEncoder().encodeToString(data));
                case BASE64URL -> ascii(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
                case HEX -> ascii(HexFormat.of().formatHex(data));
                case MD5 -> digest("MD5", data);
                case SHA1 -> digest("SHA-1", data);
                case SHA256 -> digest("SHA-256", data);
                case SHA512 -> digest("SHA-512", data);
                case PREFIX128 -> Arrays.copyOf(data, Math.min(16, data.length));
            };
            raw = step.givesRawBytes(); // the loader drops `none` steps, so the last step decides
        }
        // A digest is not text: the body formats carry strings, so it goes out as hex, as SDKs send digests.
        return raw ? HexFormat.of().formatHex(data) : new String(data, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + algorithm, e);
        }
    }
}
