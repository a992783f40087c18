package dev.consentry.cli;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** The bench generator's flows written by {@link MitmFlowWriter}, for tests outside this package. */
public final class BenchFlowFiles {
    private BenchFlowFiles() {
    }

    /** Writes {@code flows} generated flows (seeded) to {@code file}. */
    public static Path write(Path file, int flows, long seed) throws IOException {
        BenchCommand.Generator gen = new BenchCommand.Generator(List.of(Canary.of(CanaryKind.IMEI,
                "865123045678901")), new Random(seed));
        try (MitmFlowWriter w = new MitmFlowWriter(file)) {
            for (int i = 0; i < flows; i++) {
                w.write(gen.flow(i));
            }
        }
        return file;
    }

    /** Writes generated flows (seeded) to {@code file} until their request bodies reach {@code bodyBytes}. */
    public static int writeBodies(Path file, long bodyBytes, long seed) throws IOException {
        BenchCommand.Generator gen = new BenchCommand.Generator(List.of(Canary.of(CanaryKind.IMEI,
                "865123045678901")), new Random(seed));
        int flows = 0;
        try (MitmFlowWriter w = new MitmFlowWriter(file)) {
            for (long bodies = 0; bodies < bodyBytes; flows++) {
                var f = gen.flow(flows);
                bodies += f.request().body().length;
                w.write(f);
            }
        }
        return flows;
    }
}
