package dev.consentry.twin.shell;

import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.Settings.Namespace;

import java.util.List;
import java.util.Locale;

/** Android's {@code settings} tool. Like Android, ":0" is stored as written; it is what "no proxy" looks like. */
final class SettingsProgram implements Program {
    private static final String USAGE = "usage:  settings [--user NUM] get namespace key\n"
            + "        settings [--user NUM] put namespace key value\n"
            + "        settings [--user NUM] delete namespace key\n"
            + "        settings [--user NUM] list namespace\n"
            + "\n'namespace' is one of {system, secure, global}, case-insensitive\n";

    private final Settings settings;

    SettingsProgram(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String run(List<String> args) {
        List<String> a = args;
        if (a.size() >= 2 && a.get(0).equals("--user")) {
            a = a.subList(2, a.size());
        }
        if (a.size() < 2) {
            return USAGE;
        }
        Namespace ns;
        try {
            ns = Namespace.valueOf(a.get(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return USAGE;
        }
        switch (a.get(0)) {
            case "get":
                return a.size() == 3 ? settings.get(ns, a.get(2)).orElse("null") + "\n" : USAGE;
            case "put":
                if (a.size() != 4) {
                    return USAGE;
                }
                settings.put(ns, a.get(2), a.get(3));
                return "";
            case "delete":
                if (a.size() != 3) {
                    return USAGE;
                }
                boolean existed = settings.get(ns, a.get(2)).isPresent();
                settings.delete(ns, a.get(2));
                return "Deleted " + (existed ? 1 : 0) + " rows\n";
            case "list": {
                StringBuilder out = new StringBuilder();
                settings.list(ns).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
                return out.toString();
            }
            default:
                return USAGE;
        }
    }
}
