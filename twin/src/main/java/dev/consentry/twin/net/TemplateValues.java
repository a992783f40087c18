package dev.consentry.twin.net;

import dev.consentry.twin.device.Contact;
import dev.consentry.twin.identity.Identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What placeholders resolve to at the moment a request is made (contacts change while the handset runs). */
record TemplateValues(Identity identity, List<Contact> contacts, Map<String, String> properties) {
    Optional<String> value(String placeholder) {
        if (placeholder.startsWith("prop:")) {
            return Optional.of(properties.getOrDefault(placeholder.substring(5), ""));
        }
        return Optional.ofNullable(switch (placeholder) {
            case "imei" -> identity.imei();
            case "phone_number" -> identity.phoneNumber();
            case "android_id" -> identity.androidId();
            case "serial" -> identity.serial();
            case "contacts.phones" -> contacts.stream().flatMap(c -> c.phones().stream())
                    .collect(Collectors.joining(","));
            case "contacts.names" -> contacts.stream().map(Contact::name).filter(n -> !n.isEmpty())
                    .collect(Collectors.joining(","));
            case "contacts.count" -> Integer.toString(contacts.size());
            default -> null;
        });
    }
}
