package dev.consentry.twin.firmware;

import java.util.List;
import java.util.Map;

/** One firmware build as data: what it shows, what it answers, what it sends and when. Loaded by {@link FirmwareLoader}. */
public record Firmware(String name, DeviceSpec device, Map<String, String> properties,
                       Map<String, Map<Integer, String>> serviceCalls, WizardSpec wizard, HomeSpec home,
                       List<TrafficRule> traffic) {
    public Firmware {
        properties = Map.copyOf(properties);
        serviceCalls = Map.copyOf(serviceCalls);
        traffic = List.copyOf(traffic);
    }
}
