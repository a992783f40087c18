package dev.consentry.twin.shell;

import java.util.List;
import java.util.Optional;

/**
 * {@code am start [-W] [-n COMPONENT] [-a ACTION] [-d DATA_URI] [-t MIME_TYPE]} and {@code am broadcast -a ACTION},
 * printing what Android's am prints.
 */
final class AmProgram implements Program {
    /**
     * Broadcasts only the system may send: the shell user (uid 2000) is refused, so a lab cannot fake a SIM insertion
     * or a boot over adb.
     */
    private static final java.util.Set<String> PROTECTED = java.util.Set.of(
            "android.intent.action.SIM_STATE_CHANGED", "android.intent.action.BOOT_COMPLETED",
            "android.intent.action.SERVICE_STATE", "android.intent.action.PHONE_STATE");

    private final ActivityManager activities;

    AmProgram(ActivityManager activities) {
        this.activities = activities;
    }

    @Override
    public String run(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals("broadcast")) {
            return broadcast(args.subList(1, args.size()));
        }
        if (args.isEmpty() || !args.get(0).equals("start")) {
            return "usage: am [subcommand] [options]\nusage: am start [-D] [-N] [-W] [-P <FILE>] <INTENT>\n";
        }
        Optional<String> component = Optional.empty();
        Optional<String> action = Optional.empty();
        Optional<String> data = Optional.empty();
        Optional<String> type = Optional.empty();
        for (int i = 1; i < args.size(); i++) {
            String opt = args.get(i);
            if (opt.equals("-W") || opt.equals("-S")) {
                continue;
            }
            if (i + 1 >= args.size()) {
                return "Error: No argument for option " + opt + "\n";
            }
            String v = args.get(++i);
            switch (opt) {
                case "-n" -> component = Optional.of(v);
                case "-a" -> action = Optional.of(v);
                case "-d" -> data = Optional.of(v);
                case "-t" -> type = Optional.of(v);
                default -> {
                    return "Error: Unknown option: " + opt + "\n";
                }
            }
        }
        String intent = "Intent { " + action.map(a -> "act=" + a + " ").orElse("") + data.map(d -> "dat=" + d + " ")
                .orElse("") + type.map(t -> "typ=" + t + " ").orElse("") + component.map(c -> "cmp=" + c + " ")
                .orElse("") + "}";
        if (component.isEmpty() && action.isEmpty()) {
            return "Error: Intent does not match any activities: " + intent + "\n";
        }
        if (activities.start(component, action, data, type).isEmpty()) {
            return "Starting: " + intent + "\nError: Activity not started, unable to resolve " + intent + "\n";
        }
        return "Starting: " + intent + "\n";
    }

    private static String broadcast(List<String> args) {
        int a = args.indexOf("-a");
        if (a < 0 || a + 1 >= args.size()) {
            return "Broadcasting: Intent { flg=0x400000 }\nBroadcast completed: result=0\n";
        }
        String action = args.get(a + 1);
        String intent = "Intent { act=" + action + " flg=0x400000 }";
        if (PROTECTED.contains(action)) {
            return "Broadcasting: " + intent + "\nException occurred while executing 'broadcast':\n"
                    + "java.lang.SecurityException: Permission Denial: not allowed to send broadcast " + action
                    + " from pid=4242, uid=2000\n";
        }
        // No firmware model listens to app broadcasts: delivered to nobody.
        return "Broadcasting: " + intent + "\nBroadcast completed: result=0\n";
    }
}
