package dev.consentry.twin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwinMainTest {
    @Test
    void argumentsConfigureTheBuilder() throws Exception {
        VirtualHandset.Builder b = VirtualHandset.builder();
        TwinMain.parse(List.of("--firmware", "redmi-1s-miui5-2014", "--serial", "cli-twin", "--port", "0",
                "--imei", "490154203237518", "--internet", "127.0.0.1:9"), b);
        try (VirtualHandset twin = b.start()) {
            assertThat(twin.firmwareName()).isEqualTo("redmi-1s-miui5-2014");
            assertThat(twin.serial()).isEqualTo("cli-twin");
            assertThat(twin.identity().imei()).isEqualTo("490154203237518");
            assertThat(new WireClient(twin.uri()).get("/status").status()).isEqualTo(200);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> TwinMain.parse(List.of("--port", "x"), VirtualHandset.builder()))
                .hasMessageContaining("--port expects a number");
        assertThatThrownBy(() -> TwinMain.parse(List.of("--frimware", "x"), VirtualHandset.builder()))
                .hasMessageContaining("unknown option --frimware");
        assertThatThrownBy(() -> TwinMain.parse(List.of("--serial"), VirtualHandset.builder()))
                .hasMessageContaining("missing value after --serial");
        assertThatThrownBy(() -> VirtualHandset.builder().withSerial("s").start())
                .hasMessageContaining("withFirmware");
        assertThatThrownBy(() -> TwinMain.parse(List.of("--host", "a.example=8.8.8.8"), VirtualHandset.builder()))
                .hasMessageContaining("hosts entry a.example=8.8.8.8");
        assertThatThrownBy(() -> TwinMain.parse(List.of("--firmware-file", "/no/such.yaml"),
                VirtualHandset.builder())).hasMessageContaining("cannot read firmware file /no/such.yaml");
        assertThatThrownBy(() -> TwinMain.parse(List.of("--bind", "8.8.8.8"), VirtualHandset.builder()))
                .hasMessageContaining("bind address 8.8.8.8");
        assertThatThrownBy(() -> TwinMain.parse(List.of("--bind", "handset.lan"), VirtualHandset.builder()))
                .hasMessageContaining("--bind expects an IP address");
    }

    @Test
    void bindAddressIsWhereTheWebDriverPortListens() throws Exception {
        VirtualHandset.Builder b = VirtualHandset.builder();
        // 127.0.0.2 is loopback but not 127.0.0.1: the URI must name the address actually bound.
        TwinMain.parse(List.of("--firmware", "redmi-1s-miui5-2014", "--serial", "bound-twin", "--port", "0",
                "--bind", "127.0.0.2"), b);
        try (VirtualHandset twin = b.start()) {
            assertThat(twin.uri().getHost()).isEqualTo("127.0.0.2");
            assertThat(new WireClient(twin.uri()).get("/status").status()).isEqualTo(200);
        }
    }

    @Test
    void firmwareFromAFileAndHostsFromTheCommandLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String yaml;
        try (var in = getClass().getClassLoader().getResourceAsStream("firmware/redmi-1s-miui5-2014.yaml")) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("name: redmi-1s-miui5-2014", "name: from-file");
        }
        java.nio.file.Path file = dir.resolve("fw.yaml");
        java.nio.file.Files.writeString(file, yaml);
        VirtualHandset.Builder b = VirtualHandset.builder();
        TwinMain.parse(List.of("--firmware-file", file.toString(), "--serial", "file-twin",
                "--host", "connect.rom.miui.com=127.0.0.1"), b);
        try (VirtualHandset twin = b.start()) {
            assertThat(twin.firmwareName()).isEqualTo("from-file");
        }
    }
}
