package dev.consentry.grid.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run.
 *
 * @param name        a short label for messages ("Selenium Grid hub", "Appium server")
 * @param command     program and arguments, passed as is (no shell)
 * @param environment added to (and overriding) this JVM's environment
 * @param workDir     the working directory
 * @param logFile     stdout and stderr, merged; truncated on start
 */
public record ProcessSpec(String name, List<String> command, Map<String, String> environment, Path workDir,
                          Path logFile) {
    public ProcessSpec {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(logFile, "logFile");
    }

    /** The command as one could paste it into a shell. */
    public String commandLine() {
        StringBuilder sb = new StringBuilder();
        environment.forEach((k, v) -> sb.append(k).append('=').append(shellQuote(v)).append(' '));
        for (int i = 0; i < command.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(shellQuote(command.get(i)));
        }
        return sb.toString();
    }

    static String shellQuote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=,@+%".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
