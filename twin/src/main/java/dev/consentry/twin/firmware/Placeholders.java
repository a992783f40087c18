package dev.consentry.twin.firmware;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders a template may use: identity ({imei}, {phone_number}, {android_id}, {serial}), the address book
 * ({contacts.phones}, {contacts.names}: comma-joined; {contacts.count}) and system properties ({prop:KEY}).
 */
public final class Placeholders {
    public static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.:]+)}");
    public static final Set<String> NAMES = Set.of("imei", "phone_number", "android_id", "serial",
            "contacts.phones", "contacts.names", "contacts.count");

    private Placeholders() {
    }

    /** @return the unknown placeholders in the template, empty when it is fine */
    public static List<String> unknown(String template) {
        List<String> bad = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            if (!NAMES.contains(name) && !(name.startsWith("prop:") && name.length() > 5)) {
                bad.add(name);
            }
        }
        return bad;
    }
}
