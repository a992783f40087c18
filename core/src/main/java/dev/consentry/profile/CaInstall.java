package dev.consentry.profile;

/**
 * Where the lab CA goes on this handset. Android 4.4 system services trust the user store; Android 7+ apps do not,
 * and Android 14 keeps the system store in the Conscrypt APEX, which needs another route (see README).
 *
 * @param store     "user", "system" or "apex" (Android 14+: the Conscrypt APEX, read-only; the lab makes it writable)
 * @param directory the trust-store directory the cert file (subject_hash_old.0) is pushed into
 * @param note      what a lab must know about this store on this firmware
 */
public record CaInstall(String store, String directory, java.util.Optional<String> note) {
}
