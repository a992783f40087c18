package dev.consentry.canary;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a planted or read value is; the id is the spelling used in YAML, JSON and reports. */
public enum CanaryKind {
    IMEI, IMSI, ICCID, PHONE_NUMBER, CONTACT_PHONE, CONTACT_EMAIL, CONTACT_NAME, ANDROID_ID, SERIAL, WIFI_MAC,
    ADVERTISING_ID, ACCOUNT_EMAIL, LOCATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CanaryKind> fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }
}
