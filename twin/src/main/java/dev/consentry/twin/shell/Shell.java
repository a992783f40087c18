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
        this(identity, properties, serviceCalls, settings, contacts, files, activities, log,
                () -> "Test Harness Mode is not available on this handset\n");
    }

    /**
     * @param testHarness what {@code cmd testharness enable} sets off (Android 10+): the handset's factory reset into
     *                    Test Harness Mode; returns the command's output
     */
    public Shell(Identity identity, Map<String, String> properties, Map<String, Map<Integer, String>> serviceCalls,
                 Settings settings, ContactsProvider contacts, VirtualFileSystem files, ActivityManager activities,
                 TwinLog log, java.util.function.Supplier<String> testHarness) {
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
            // Android 7 added /system/bin/cmd; Android 10 the testharness service.
            boolean harness = sdk(properties) >= 29;
            tools.put("cmd", args -> {
                if (!args.isEmpty() && args.get(0).equals("testharness") && harness) {
                    return testHarness(args.subList(1, args.size()), properties, testHarness);
                }
                return telephony.cmd(args);
            });
        }
        this.programs = Map.copyOf(tools);
        this.log = log;
    }

    /** TestHarnessModeService's shell: {@code enable} resets the handset, {@code disable} clears the flag. */
    private static String testHarness(List<String> args, Map<String, String> properties,
                                      java.util.function.Supplier<String> enable) {
        String verb = args.isEmpty() ? "" : args.get(0);
        return switch (verb) {
            case "enable", "restore" -> enable.get();
            case "disable" -> {
                properties.remove("persist.sys.test_harness");
                yield "";
            }
            default -> "Test Harness Mode Commands:\n  help\n    Print this help text.\n\n  enable|restore\n"
                    + "    Erase all data from this device and enable Test Harness Mode,\n    preserving the stored ADB"
                    + " keys currently on the device and toggling\n    settings in a way that are conducive to"
                    + " automated testing.\n";
        };
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
