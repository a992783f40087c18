package dev.consentry.twin.log;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A handset's own log, like logcat: what it did (screens, shell commands, connections), bounded so a long-running
 * twin does not grow without limit. It states facts about connections, never conclusions about personal data.
 */
public final class TwinLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final String name;
    private final int capacity;
    private final Clock clock;
    private final Deque<String> lines = new ArrayDeque<>();

    public TwinLog(String name, int capacity, Clock clock) {
        this.name = name;
        this.capacity = capacity;
        this.clock = clock;
    }

    public void log(String tag, String message) {
        String line = LocalTime.now(clock).format(TIME) + " " + name + " "
                + tag + ": " + message;
        synchronized (lines) {
            lines.addLast(line);
            while (lines.size() > capacity) {
                lines.removeFirst();
            }
        }
    }

    public List<String> tail(int count) {
        synchronized (lines) {
            List<String> all = new ArrayList<>(lines);
            return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
        }
    }
}
