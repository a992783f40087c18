package dev.consentry.lab;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.mitm.CaptureHealth;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.MitmdumpCapture;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAttributionTest {
    private static CapturedFlow flow(String id, String client, String host) {
        return new CapturedFlow(id, Instant.EPOCH, client, new HttpRequestData("GET", "http", host, 80, "/",
                "HTTP/1.1", List.of(), new byte[0]), Optional.empty(), Optional.empty());
    }

    private static MitmdumpCapture.Outcome outcome(CapturedFlow... flows) {
        return new MitmdumpCapture.Outcome("redmi", List.of(flows), List.of(), List.of(),
                new CaptureHealth.Stopped(0), "", Path.of("log"), Path.of("flows"));
    }

    @Test
    void flowsFromTheHandsetsAddressAndProbesAreKept() {
        MitmdumpCapture.Outcome o = outcome(flow("a", "192.168.50.23:41000", "api.account.xiaomi.com"),
                flow("p", "127.0.0.1:5000", CaptureProbe.HOST));
        assertThat(ClientAttribution.attribute(o, "192.168.50.23")).isSameAs(o);
    }

    @Test
    void flowsFromAnotherAddressAreLeftOutAndMakeTheCaptureDoubtful() {
        MitmdumpCapture.Outcome o = outcome(flow("a", "192.168.50.23:41000", "api.account.xiaomi.com"),
                flow("b", "192.168.50.24:41001", "tracking.intl.miui.com"),
                flow("c", "192.168.50.24:41002", "tracking.intl.miui.com"));

        MitmdumpCapture.Outcome attributed = ClientAttribution.attribute(o, "192.168.50.23");

        assertThat(attributed.flows()).extracting(CapturedFlow::id).containsExactly("a");
        assertThat(attributed.problems()).containsExactly("2 flow(s) or TLS failure(s) from 192.168.50.24, not the handset's address "
                + "192.168.50.23: left out; check the access point's redirect rules and the handset's address "
                + "reservation");
        assertThat(attributed.complete()).isFalse();
    }

    @Test
    void addressesArePeeledOffTheirPorts() {
        assertThat(ClientAttribution.address("[fd00::2]:41234")).isEqualTo("fd00::2");
        assertThat(ClientAttribution.address("10.0.0.2:1")).isEqualTo("10.0.0.2");
        assertThat(ClientAttribution.address("")).isEmpty();
    }
}
