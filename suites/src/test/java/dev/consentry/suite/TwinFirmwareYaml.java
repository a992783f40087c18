package dev.consentry.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * The firmware YAML of the virtual handsets the ITs run with traffic of their own: a one-screen wizard, then that
 * traffic. The tap ITs' ({@link #yaml}) starts with a connectivity check over http (which the proxy sees) and a
 * registration sent {@code direct} to a port of the test's choosing (which bypasses it).
 */
final class TwinFirmwareYaml {
    /** Where the http connectivity check goes. */
    static final String CHECK_HOST = "connect.rom.miui.com";
    /** Where the handset takes user CAs (where prep pushes the lab CA). */
    static final String CA_DIR = "/data/misc/keychain/cacerts-added";

    private TwinFirmwareYaml() {
    }

    /**
     * The tap ITs' firmware.
     * @param settings     lines under {@code settings:}, none for no block
     * @param pushHost     where the bypassing registration goes
     * @param extraTraffic further traffic entries, as YAML lines
     */
    static String yaml(String name, List<String> settings, String pushHost, int pushPort, List<String> extraTraffic) {
        List<String> lines = oneScreen(name, settings);
        lines.addAll(List.of(
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

    /**
     * The lines of a firmware with a one-button wizard, up to and with {@code traffic:}: the traffic entries follow.
     * @param settings lines under {@code settings:}, none for no block
     */
    static List<String> oneScreen(String name, List<String> settings) {
        List<String> lines = new ArrayList<>(List.of(
                "name: " + name,
                "device:",
                "  manufacturer: X",
                "  model: Tap",
                "  screen: { width: 720, height: 1280, density: 320 }",
                "  caDirectory: " + CA_DIR));
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
                "traffic:"));
        return lines;
    }
}
