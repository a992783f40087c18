package dev.consentry.prep;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A contact planted on the handset whose name and number exist nowhere else, so seeing either in traffic proves the
 * address book left the handset.
 *
 * @param phone E.164, e.g. "+919812345678"
 */
public record CanaryContact(String name, String phone) {
    private static final String[] GIVEN = {"Kiran", "Asha", "Ravi", "Meera", "Arjun", "Divya", "Sanjay", "Leela"};

    /** Fresh contacts per run: reusing numbers across runs would let yesterday's capture satisfy today's check. */
    public static List<CanaryContact> generate(int count, Random random) {
        List<CanaryContact> out = new ArrayList<>();
        Set<String> phones = new HashSet<>();
        while (out.size() < count) {
            // Indian mobile numbers (+91 9xxxxxxxxx) as on the Redmi's home market; 9 random digits after the 9.
            String phone = "+919" + String.format("%09d", random.nextInt(1_000_000_000));
            if (phones.add(phone)) {
                String name = "Canary " + GIVEN[random.nextInt(GIVEN.length)] + " " + (1000 + random.nextInt(9000));
                out.add(new CanaryContact(name, phone));
            }
        }
        return List.copyOf(out);
    }

    public static List<CanaryContact> generate(int count) {
        return generate(count, new SecureRandom());
    }
}
