package dev.consentry.allure;

import dev.consentry.redact.PrivateKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last gate before HTML: whatever wrote into allure-results (our suites, a listener, a plugin), no PEM private
 * key is left in a file the report would embed. Attachments are redacted when written; this catches what was not.
 */
final class PrivateKeyScrub {
    private PrivateKeyScrub() {
    }

    /** @return the files that held a private key and were rewritten without it */
    static List<Path> scrub(Path results) throws IOException {
        List<Path> rewritten = new ArrayList<>();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                // ISO-8859-1 maps every byte to one char, so binary files pass through unchanged when rewritten.
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                if (PrivateKeys.present(text)) {
                    Files.write(f, PrivateKeys.strip(text).getBytes(StandardCharsets.ISO_8859_1));
                    rewritten.add(f);
                }
            }
        }
        return rewritten;
    }
}
