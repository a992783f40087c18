package dev.consentry.twin.firmware;

/**
 * A setting a traffic rule depends on, written {@code cloud_messaging=on}: the rule sends only while the setting
 * (secure, else global) reads 1 for on, anything else for off. This is how "only if the user opted in" is data.
 */
public record Condition(String setting, boolean on) {
    @Override
    public String toString() {
        return setting + "=" + (on ? "on" : "off");
    }
}
