package dev.consentry.twin.shell;

import dev.consentry.twin.device.ContactsProvider;
import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.identity.Identity;
import dev.consentry.twin.log.TwinLog;

import java.util.List;
import java.util.Map;

/**
 * The handset's /system/bin/sh as adb shell reaches it. Android 4.4's adb does not pass exit codes back, so every
 * command "succeeds" and failures show only in the text, exactly what prep code must cope with on a real handset.
 */
public final class Shell {
    private final Map<String, Program> programs;
    private final TwinLog log;

    public Shell(Identity identity, Map<String, String> properties, Map<String, Map<Integer, String>> serviceCalls,
                 Settings settings, ContactsProvider contacts, VirtualFileSystem files, ActivityManager activities,
                 TwinLog log) {
        TelephonyPrograms telephony = new TelephonyPrograms(identity, serviceCalls, sdk(properties));
        FilePrograms fileTools = new FilePrograms(files);
        Map<String, Program> tools = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("am", new AmProgram(activities)),
                Map.entry("settings", new SettingsProgram(settings)),
                Map.entry("getprop", new GetpropProgram(properties)),
                Map.entry("dumpsys", telephony::dumpsys),
                Map.entry("service", telephony::service),
                Map.entry("content", new ContentProgram(contacts)),
                Map.entry("ls", fileTools::ls),
                Map.entry("rm", fileTools::rm),
                Map.entry("cat", fileTools::cat),
                Map.entry("logcat", new LogcatProgram(log)),
                Map.entry("echo", args -> String.join(" ", args) + "\n")));
        if (sdk(properties) >= 24) {
            tools.put("cmd", telephony::cmd); // Android 7 added /system/bin/cmd
        }
        this.programs = Map.copyOf(tools);
        this.log = log;
    }

    private static int sdk(Map<String, String> properties) {
        try {
            return Integer.parseInt(properties.getOrDefault("ro.build.version.sdk", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public String run(String command, List<String> args) {
        List<String> words = CommandLine.words(command, args);
        log.log("shell", String.join(" ", words));
        if (words.isEmpty()) {
            return "";
        }
        Program p = programs.get(words.get(0));
        if (p == null) {
            return "/system/bin/sh: " + words.get(0) + ": not found\n";
        }
        return p.run(words.subList(1, words.size()));
    }
}
