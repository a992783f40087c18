package dev.consentry.allure;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the handset itself says it is, read over its shell during the run (getprop), for the report's environment:
 * a vendor certifying a build needs the build that ran, not the one the profile expected.
 *
 * @param profile     the device profile the test ran on
 * @param fingerprint ro.build.fingerprint as read; may differ from the profile's
 * @param skin        the vendor skin and version as read (MIUI V5 from ro.miui.ui.version.name), empty if none
 */
public record HandsetFacts(String profile, String manufacturer, String model, String fingerprint, String build,
                           String android, String skin) {
    /** Every {@code getprop} key this reads, the one it prefers first. */
    private static final Map<String, String> SKINS = Map.of(
            "ro.miui.ui.version.name", "MIUI ",
            "ro.mi.os.version.name", "HyperOS ",
            "ro.build.version.oneui", "One UI ");

    /** @param getprop returns the property's value, or empty/blank when it is not set */
    public static HandsetFacts read(String profile, Function<String, String> getprop) {
        Function<String, String> p = k -> Optional.ofNullable(getprop.apply(k)).map(String::strip).orElse("");
        String skin = SKINS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> !p.apply(e.getKey()).isEmpty()).map(e -> e.getValue() + p.apply(e.getKey()))
                .findFirst().orElse("");
        String incremental = p.apply("ro.build.version.incremental");
        String display = p.apply("ro.build.display.id");
        String build = display.equals(incremental) || incremental.isEmpty() ? display
                : (display + " " + incremental).strip();
        return new HandsetFacts(profile, p.apply("ro.product.manufacturer"), p.apply("ro.product.model"),
                p.apply("ro.build.fingerprint"), build, p.apply("ro.build.version.release"), skin);
    }

    /** "Xiaomi Redmi 1S, Android 4.4.4, MIUI V5, build KTU84P JHCMIBH41.0". */
    public String describe() {
        StringBuilder s = new StringBuilder((manufacturer + " " + model).strip());
        if (!android.isEmpty()) {
            s.append(", Android ").append(android);
        }
        if (!skin.isEmpty()) {
            s.append(", ").append(skin);
        }
        if (!build.isEmpty()) {
            s.append(", build ").append(build);
        }
        return s.toString();
    }
}
