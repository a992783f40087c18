package dev.consentry.process;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {
    @Test
    void freePortsAreDistinctAndFree() {
        List<Integer> ports = FreePorts.pick(3);
        assertThat(ports).doesNotHaveDuplicates().allMatch(p -> !FreePorts.inUse(p));
    }

    @Test
    void aListeningPortIsInUse() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(FreePorts.inUse(busy.getLocalPort())).isTrue();
        }
    }
}
