package dev.consentry.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Consentry checkout (the folder holding {@code grid-runtime/}, {@code grid-config/} and {@code appium/}).
 * The CLI passes it explicitly; tests and IDE runs find it from the working directory.
 */
public final class ProjectHome {
    public static final String PROPERTY = "consentry.home";
    public static final String ENV = "CONSENTRY_HOME";

    private ProjectHome() {
    }

    public static Path locate() {
        Optional<String> configured = Optional.ofNullable(System.getProperty(PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(ENV)))
                .filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return Path.of(configured.get()).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isHome(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Consentry checkout above " + start
                + ": set -D" + PROPERTY + "=<dir> or " + ENV);
    }

    static boolean isHome(Path dir) {
        return Files.isRegularFile(dir.resolve("grid-runtime/pom.xml"))
                && Files.isRegularFile(dir.resolve("appium/package.json"));
    }
}
