package dev.consentry.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run.
 *
 * @param name        short label for messages ("mitmdump redmi-1s", "Appium server")
 * @param command     program and arguments, passed as they are (no shell in between)
 * @param environment added to, and overriding, this JVM's environment
 * @param workDir     working directory of the child
 * @param logFile     stdout and stderr, merged; truncated on start
 */
public record ProcessSpec(String name, List<String> command, Map<String, String> environment, Path workDir,
                          Path logFile) {
    public ProcessSpec {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command for " + name);
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(logFile, "logFile");
    }

    public static ProcessSpec of(String name, List<String> command, Path workDir, Path logFile) {
        return new ProcessSpec(name, command, Map.of(), workDir, logFile);
    }

    /** The command as it could be pasted into a POSIX shell, environment first. */
    public String commandLine() {
        StringBuilder sb = new StringBuilder();
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(e.getKey()).append('=').append(quote(e.getValue())).append(' '));
        for (int i = 0; i < command.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(quote(command.get(i)));
        }
        return sb.toString();
    }

    static String quote(String s) {
        boolean plain = !s.isEmpty()
                && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=,@+%".indexOf(c) >= 0);
        return plain ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
