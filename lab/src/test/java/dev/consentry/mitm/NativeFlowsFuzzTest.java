package dev.consentry.mitm;

import dev.consentry.cli.BenchFlowFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged flow files never make the Java reader fail otherwise than by handing the flow to mitmproxy: every value is
 * read and mapped, or refused with {@link Tnetstring.TnetstringException} or {@link NativeFlows.Unsure}.
 * (That what it does read equals mitmproxy's reading is FlowFileDifferentialIT's part.)
 */
class NativeFlowsFuzzTest {
    @TempDir
    Path dir;

    @Test
    void randomDamageIsReadOrRefusedNeverAnythingElse() throws IOException {
        byte[] file = Files.readAllBytes(BenchFlowFiles.write(dir.resolve("f.mitm"), 3, 7));
        NativeFlows flows = new NativeFlows(pem -> true);
        assertThat(readAll(file, flows)).isEqualTo(new int[]{3, 0, 0});
        Random r = new Random(5);
        int[] totals = new int[3];
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = file.clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                int at = r.nextInt(damaged.length);
                damaged[at] = switch (r.nextInt(4)) {
                    case 0 -> (byte) r.nextInt(256);
                    case 1 -> (byte) ('0' + r.nextInt(10));
                    case 2 -> (byte) ":,;#^!~]}".charAt(r.nextInt(9));
                    default -> (byte) (damaged[at] ^ 1);
                };
            }
            int[] counts = readAll(damaged, flows);
            for (int k = 0; k < 3; k++) {
                totals[k] += counts[k];
            }
        }
        assertThat(totals[1]).as("tnetstring refusals").isPositive();
        assertThat(totals[2]).as("state refusals").isPositive();
    }

    /** Flows mapped, tnetstring refusals, state refusals; anything else thrown fails the test. */
    private static int[] readAll(byte[] file, NativeFlows flows) throws IOException {
        Tnetstring t = new Tnetstring(new ByteArrayInputStream(file), "f.mitm", 1 << 20);
        int[] counts = new int[3];
        while (true) {
            try {
                Object v = t.next();
                if (v == Tnetstring.end()) {
                    return counts;
                }
                flows.map(v);
                counts[0]++;
            } catch (Tnetstring.TnetstringException e) {
                counts[1]++;
                return counts;
            } catch (NativeFlows.Unsure e) {
                counts[2]++;
                return counts;
            }
        }
    }
}
