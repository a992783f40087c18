package dev.consentry.redact;

import java.util.regex.Pattern;

/**
 * PEM private keys (the lab CA's above all: mitmproxy keeps key and certificate in one file) cut out of text. The
 * pattern also matches inside JSON, where the key's line breaks are escaped as {@code \n}.
 */
public final class PrivateKeys {
    public static final String REMOVED = "[private key removed]";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(-----END \\1PRIVATE KEY-----|\\z)", Pattern.DOTALL);

    private PrivateKeys() {
    }

    /** Whether the text holds the start of a PEM private key. */
    public static boolean present(CharSequence text) {
        return PEM.matcher(text).find();
    }

    /** The text with every PEM private key replaced by {@value #REMOVED}; an unterminated one is cut to the end. */
    public static String strip(String text) {
        return PEM.matcher(text).replaceAll(REMOVED);
    }
}
