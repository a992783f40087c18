package dev.consentry.profile;

/**
 * How one identifier is read over {@code mobile: shell}.
 *
 * @param command the shell command line, e.g. "dumpsys iphonesubinfo"
 * @param parse   how to read the value from its output: "line:Device ID" (the text after "Device ID =" or ":"),
 *                "parcel-utf16" (a {@code service call} Parcel holding a String16), "trim" (the whole output) or
 *                "mac" (the first colon- or dash-separated MAC address in the output)
 */
public record IdentifierRead(String command, String parse) {
}
