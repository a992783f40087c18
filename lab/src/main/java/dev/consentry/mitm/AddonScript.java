package dev.consentry.mitm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Python addon (lab/src/main/python/consentry_stream.py, packaged as a class-path resource by lab/pom.xml).
 * Each capture copies it into its own work dir: it works the same from the CLI's jar as from an IDE, and the
 * evidence folder holds the exact addon that produced its flows.
 */
final class AddonScript {
    static final String RESOURCE = "/dev/consentry/mitm/consentry_stream.py";
    static final String FILE_NAME = "consentry_stream.py";

    private AddonScript() {
    }

    static Path installInto(Path workDir) {
        Path target = workDir.resolve(FILE_NAME);
        try (InputStream in = AddonScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + RESOURCE + " is missing: lab/pom.xml "
                        + "packages lab/src/main/python; rebuild the lab module");
            }
            Files.createDirectories(workDir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the addon to " + target, e);
        }
    }
}
