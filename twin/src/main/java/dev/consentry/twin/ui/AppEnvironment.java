package dev.consentry.twin.ui;

import java.util.List;
import java.util.Optional;

/** What app screens read from and do to the rest of the handset: settings, the address book, files. */
public interface AppEnvironment {
    /** The setting's current value as a switch shows it (secure, else global namespace); empty when unset. */
    Optional<Boolean> setting(String name);

    /** Display names of the contacts, in the order the provider holds them. */
    List<String> contactNames();

    /**
     * Imports the vCard at {@code uri} into the address book, as the contacts app's import does.
     *
     * @return how many contacts it added
     * @throws IllegalArgumentException when the file is missing or holds no vCard
     */
    int importVcard(String uri);
}
