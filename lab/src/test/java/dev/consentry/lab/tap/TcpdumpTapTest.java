package dev.consentry.lab.tap;

import dev.consentry.lab.CaptureEvidence;
import dev.consentry.mitm.CaptureHealth;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.verdict.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TcpdumpTapTest {
    @TempDir
    Path dir;

    @Test
    void commandCapturesWholePacketsAtOnceInTheNamespaceWithTheFilterLast() {
        List<String> c = TcpdumpTap.builder().withInterface("cst-ab12cd-aph").withNamespace("cst-ab12cd-ap")
                .withFilter(" host 10.61.0.2 ").withFile(Path.of("/r/tap.pcap")).command();
        assertThat(c.subList(0, 4)).containsExactly("ip", "netns", "exec", "cst-ab12cd-ap");
        assertThat(c).containsSequence("-i", "cst-ab12cd-aph").containsSequence("-w", "/r/tap.pcap")
                .contains("-U", "--immediate-mode", "-n").containsSequence("-s", "0").containsSequence("-B", "32768");
        assertThat(c.get(c.size() - 1)).isEqualTo("host 10.61.0.2");
        assertThat(TcpdumpTap.builder().withFile(Path.of("t.pcap")).command()).doesNotContain("ip")
                .containsSequence("-i", "lo");
    }

    private static MitmdumpCapture.Outcome outcome() {
        return new MitmdumpCapture.Outcome("redmi", List.of(), List.of(), List.of(), new CaptureHealth.Stopped(0), "",
                Path.of("log"), Path.of("flows"));
    }

    @Test
    void aTapThatCannotBeReadOrMissedPacketsIsAProblemNeverSilence() throws Exception {
        Evidence base = Evidence.of("redmi", "first-boot", List.of(), List.of());
        Path garbage = Files.writeString(dir.resolve("tap.pcap"), "not a capture");
        Evidence unreadable = CaptureEvidence.withTap(base, outcome(), new TcpdumpTap.Result(garbage, List.of()),
                List.of(), Set.of(InetAddress.getByName("10.61.0.2")), Set.of());
        assertThat(unreadable.problems()).singleElement().asString()
                .contains("network tap's capture " + garbage + " could not be read", "bypassed the proxy");
        Evidence dropped = CaptureEvidence.withTap(base, outcome(), new TcpdumpTap.Result(garbage,
                        List.of("tcpdump on lo: 3 packets dropped by kernel, so the tap missed packets")), List.of(),
                Set.of(InetAddress.getByName("10.61.0.2")), Set.of());
        assertThat(dropped.problems()).hasSize(2).first().asString().contains("3 packets dropped by kernel");
    }
}
