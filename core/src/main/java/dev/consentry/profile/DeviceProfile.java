package dev.consentry.profile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One handset model on one firmware, as described by {@code device-profiles/<name>.yaml}.
 *
 * @param name        the file name without ".yaml"; also the Grid's {@code lab:profile} capability
 * @param source      the file it was read from, for error messages
 * @param udid        the handset's adb serial ({@code appium:udid}); on the embedded lab the virtual handset's
 * @param systemPort  UiAutomator2 system port, unique per parallel session on one Appium server
 * @param imei        how the IMEI is read on this Android version
 * @param phoneNumber how the SIM's phone number is read
 * @param virtualFirmware the twin firmware model the embedded lab runs for this profile, if any
 * @param build       build type and whether ADB survives the setup wizard (decides if first boot can run)
 * @param androidId   how the Android ID is read, when the profile says
 * @param serial      how the hardware serial is read, when the profile says
 * @param wifiMac     how the Wi-Fi MAC address is read, when the profile says
 * @param precheck    a condition checked before every flow, if the firmware needs one
 * @param appiumServer the farm's Appium server driving this handset ({@code consentry grid up} makes one relay node
 *                    per server); empty: the lab default, http://127.0.0.1:4723
 * @param tap         where a network tap sees the handset's traffic; present: each flow runs under tcpdump
 * @param reset       how the handset is reset before the flows after first boot ({@code reset:}, default none)
 * @param accessPoint  captured on the lab's access point (transparent mitmdump, no proxy setting); empty: through the
 *                    handset's global proxy setting
 */
public record DeviceProfile(String name, Path source, String manufacturer, String model, Firmware firmware,
                            UiDialect uiDialect, String udid, int systemPort, IdentifierRead imei,
                            IdentifierRead phoneNumber, CaInstall ca, Optional<String> virtualFirmware,
                            BuildKind build, Optional<IdentifierRead> androidId, Optional<IdentifierRead> serial,
                            Optional<IdentifierRead> wifiMac,
                            Optional<PrecheckCommand> precheck, Optional<java.net.URI> appiumServer,
                            Optional<TapConfig> tap, Reset reset, Optional<AccessPointCapture> accessPoint) {
    public DeviceProfile {
        accessPoint = accessPoint == null ? Optional.empty() : accessPoint;
        Objects.requireNonNull(reset, "reset");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(uiDialect, "uiDialect");
        virtualFirmware = virtualFirmware == null ? Optional.empty() : virtualFirmware;
        Objects.requireNonNull(build, "build");
        tap = tap == null ? Optional.empty() : tap;
    }

    /**
     * The Grid stereotype a relay node advertises for this handset. {@code lab:profile} lets a session request
     * land on exactly this handset; {@code appium:udid} pins the device on an Appium server with several.
     */
    public Map<String, Object> stereotype() {
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("platformName", "Android");
        caps.put("appium:automationName", "UiAutomator2");
        caps.put("appium:udid", udid);
        caps.put("lab:profile", name);
        return caps;
    }
}
