package dev.consentry.suite;

import dev.consentry.prep.CanaryContact;

import java.util.List;

/** A vCard 3.0 file of canary contacts, as a user would receive one by mail and open. */
final class Vcard {
    private Vcard() {
    }

    static String of(List<CanaryContact> contacts) {
        StringBuilder s = new StringBuilder();
        for (CanaryContact c : contacts) {
            String[] words = c.name().split(" ", 2);
            String given = words[0];
            String family = words.length > 1 ? words[1] : "";
            s.append("BEGIN:VCARD\r\nVERSION:3.0\r\n")
                    .append("N:").append(family).append(';').append(given).append(";;;\r\n")
                    .append("FN:").append(c.name()).append("\r\n")
                    .append("TEL;TYPE=CELL:").append(c.phone()).append("\r\n")
                    .append("END:VCARD\r\n");
        }
        return s.toString();
    }
}
