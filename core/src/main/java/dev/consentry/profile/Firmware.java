package dev.consentry.profile;

/**
 * @param fingerprint ro.build.fingerprint as the handset reports it
 * @param android     Android version, e.g. "4.4.4"
 * @param skin        vendor UI and version, e.g. "MIUI V5"; empty for AOSP
 * @param released    when this build shipped, e.g. "2014-08"
 */
public record Firmware(String fingerprint, String android, String skin, String released) {
}
