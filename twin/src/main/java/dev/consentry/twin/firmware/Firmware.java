package dev.consentry.twin.firmware;

import java.util.List;
import java.util.Map;

/**
 * One firmware build as data: what it shows, what it answers, what it sends and when. Loaded by {@link FirmwareLoader}.
 *
 * @param settings the settings provider's values after a factory reset, by namespace ("secure", "global", "system")
 * @param apps     screens outside the setup wizard, reached by intents
 */
public record Firmware(String name, DeviceSpec device, Map<String, String> properties,
                       Map<String, Map<Integer, String>> serviceCalls, WizardSpec wizard, HomeSpec home,
                       List<TrafficRule> traffic, Map<String, Map<String, String>> settings,
                       List<AppScreenSpec> apps) {
    public Firmware {
        properties = Map.copyOf(properties);
        serviceCalls = Map.copyOf(serviceCalls);
        traffic = List.copyOf(traffic);
        settings = Map.copyOf(settings);
        apps = List.copyOf(apps);
    }
}
