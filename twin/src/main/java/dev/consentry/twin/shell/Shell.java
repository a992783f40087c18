package dev.consentry.twin.shell;

import dev.consentry.twin.device.ContactsProvider;
import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.identity.Identity;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The handset's /system/bin/sh as adb shell reaches it. Android 4.4's adb does not pass exit codes back, so every
 * command "succeeds" and failures show only in the text, exactly what prep code must cope with on a real handset.
 */
public final class Shell {
    private final Map<String, Program> programs;
    private final Consumer<String> log;

    public Shell(Identity identity, Map<String, String> properties, Map<String, Map<Integer, String>> serviceCalls,
                 Settings settings, ContactsProvider contacts, VirtualFileSystem files, Consumer<String> log) {
        TelephonyPrograms telephony = new TelephonyPrograms(identity, serviceCalls);
        FilePrograms fileTools = new FilePrograms(files);
        this.programs = Map.of(
                "settings", new SettingsProgram(settings),
                "getprop", new GetpropProgram(properties),
                "dumpsys", telephony::dumpsys,
                "service", telephony::service,
                "content", new ContentProgram(contacts),
                "ls", fileTools::ls,
                "rm", fileTools::rm,
                "echo", args -> String.join(" ", args) + "\n");
        this.log = log;
    }

    public String run(String command, List<String> args) {
        List<String> words = CommandLine.words(command, args);
        log.accept(String.join(" ", words));
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
