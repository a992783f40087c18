package dev.consentry.twin.device;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads vCard 2.1/3.0 text the way the contacts app's importer does for the fields a canary uses: FN (else N) for
 * the display name, every TEL. Folded lines are unfolded; unknown properties are ignored.
 */
public final class VcardImport {
    private VcardImport() {
    }

    /** A contact as the file describes it. */
    public record Card(String name, List<String> phones) {
        public Card {
            phones = List.copyOf(phones);
        }
    }

    public static List<Card> parse(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n ", "")
                .replace("\n\t", "");
        List<Card> cards = new ArrayList<>();
        String name = null;
        String structured = null;
        List<String> phones = new ArrayList<>();
        boolean inside = false;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String prop = line.substring(0, colon).toUpperCase(java.util.Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            String base = prop.contains(";") ? prop.substring(0, prop.indexOf(';')) : prop;
            switch (base) {
                case "BEGIN" -> {
                    inside = value.equalsIgnoreCase("VCARD");
                    name = null;
                    structured = null;
                    phones = new ArrayList<>();
                }
                case "FN" -> name = value;
                case "N" -> {
                    // N:Family;Given;Middle;Prefix;Suffix; shown as "Given Family".
                    String[] parts = (value + ";;").split(";", -1);
                    structured = (parts[1] + " " + parts[0]).trim();
                }
                case "TEL" -> phones.add(value);
                case "END" -> {
                    if (inside && value.equalsIgnoreCase("VCARD")) {
                        cards.add(new Card(name != null ? name : structured != null ? structured : "", phones));
                    }
                    inside = false;
                }
                default -> { }
            }
        }
        return cards;
    }
}
