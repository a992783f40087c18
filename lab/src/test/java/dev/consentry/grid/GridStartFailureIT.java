package dev.consentry.grid;

import dev.consentry.process.ProcessStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Grid JVM that starts and then dies explains itself: the command line, the reason and the log's last lines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GridStartFailureIT {
    @Test
    void hubOnABusyPortSaysSo() throws Exception {
        Path log = Path.of("target", "grid-start-failure-it", "hub.log").toAbsolutePath();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> GridHub.builder().withPort(busy.getLocalPort()).withLogFile(log)
                    .withStartupTimeout(Duration.ofSeconds(45)).start().close())
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("Selenium Grid hub exited with code 1")
                    .hasMessageContaining("org.openqa.selenium.grid.Bootstrap hub --config ")
                    .hasMessageContaining("--port " + busy.getLocalPort())
                    .hasMessageContaining("hint: a port given to this Grid component is in use by another process")
                    .hasMessageContaining("| Caused by: java.net.BindException: Address already in use")
                    .hasMessageNotContaining("\tat ");
        }
    }
}
