package dev.consentry.twin.device;

import java.util.List;

/** A raw contact as firmware code reads the address book: display name (may be empty) and phone numbers. */
public record Contact(long rawContactId, String name, List<String> phones) {
    public Contact {
        phones = List.copyOf(phones);
    }
}
