package dev.consentry.twin.shell;

import dev.consentry.twin.log.TwinLog;

import java.util.List;

/**
 * {@code logcat -d [-v FORMAT] [-t COUNT]}: the handset's log dumped once, as the report reads it when a test did not
 * pass. Streaming logcat (without -d) would never return over {@code mobile: shell}, so it is refused, as a careful
 * caller would want, rather than hanging the session.
 */
final class LogcatProgram implements Program {
    private static final int DEFAULT_LINES = 1000;
    private final TwinLog log;

    LogcatProgram(TwinLog log) {
        this.log = log;
    }

    @Override
    public String run(List<String> args) {
        boolean dump = false;
        int count = DEFAULT_LINES;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "-d" -> dump = true;
                case "-v" -> i++; // the twin's lines already carry their time, as -v time does
                case "-t" -> {
                    if (i + 1 >= args.size()) {
                        return "logcat: option requires an argument -- t\n";
                    }
                    try {
                        count = Integer.parseInt(args.get(++i));
                    } catch (NumberFormatException e) {
                        return "logcat: -t \"" + args.get(i) + "\" is not a number\n";
                    }
                }
                default -> {
                    return "logcat: unsupported option " + args.get(i) + "\n";
                }
            }
        }
        if (!dump) {
            return "logcat: this handset only dumps its log (-d) over adb shell\n";
        }
        StringBuilder out = new StringBuilder();
        log.tail(Math.max(0, count)).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }
}
