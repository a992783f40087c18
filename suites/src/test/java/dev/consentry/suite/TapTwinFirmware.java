package dev.consentry.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * The firmware YAML of the virtual handsets the tap ITs run: a one-screen wizard, then a connectivity check over
 * http (which the proxy sees) and a registration sent {@code direct} to a port of the test's choosing (which
 * bypasses it). Each IT adds its own settings and further traffic.
 */
final class TapTwinFirmware {
    /** Where the http connectivity check goes. */
    static final String CHECK_HOST = "connect.rom.miui.com";

    private TapTwinFirmware() {
    }

    /**
     * @param settings     lines under {@code settings:}, none for no block
     * @param pushHost     where the bypassing registration goes
     * @param extraTraffic further traffic entries, as YAML lines
     */
    static String yaml(String name, List<String> settings, String pushHost, int pushPort, List<String> extraTraffic) {
        List<String> lines = new ArrayList<>(List.of(
                "name: " + name,
                "device:",
                "  manufacturer: X",
                "  model: Tap",
                "  screen: { width: 720, height: 1280, density: 320 }",
                "  caDirectory: /data/misc/keychain/cacerts-added"));
        if (!settings.isEmpty()) {
            lines.add("settings:");
            lines.addAll(settings);
        }
        lines.addAll(List.of(
                "setupWizard:",
                "  package: com.android.provision",
                "  screens:",
                "    - id: only",
                "      title: Only",
                "      controls:",
                "        - { type: button, id: done, text: Done, action: finish }",
                "home: { package: com.miui.home }",
                "traffic:",
                "  - name: check",
                "    on: [boot, \"idle_every:1\"]",
                "    transport: http",
                "    method: GET",
                "    host: " + CHECK_HOST,
                "    path: /generate_204",
                "  - name: push",
                "    on: [\"idle_every:1\"]",
                "    transport: direct",
                "    method: POST",
                "    host: " + pushHost,
                "    port: " + pushPort,
                "    path: /register?id=42"));
        lines.addAll(extraTraffic);
        lines.add("");
        return String.join("\n", lines);
    }
}
