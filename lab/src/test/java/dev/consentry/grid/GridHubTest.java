package dev.consentry.grid;

import dev.consentry.process.ProcessStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start failures found before any process runs. */
class GridHubTest {
    @Test
    void emptyGridLibSaysHowToFillIt(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path config = Files.writeString(dir.resolve("hub.toml"), HubConfig.defaults().toToml());

        assertThatThrownBy(() -> GridHub.builder().withGridLib(lib).withConfig(config).start())
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(lib + " holds no jars")
                .hasMessageContaining("mvn -pl grid-runtime package");
    }

    @Test
    void missingNodeConfigIsNamed(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve("selenium-grid.jar"));
        Path missing = dir.resolve("node-x.toml");

        assertThatThrownBy(() -> RelayNode.builder().withGridLib(lib).withConfig(missing)
                .withGrid(ExistingGridStub.INSTANCE).start())
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("Grid config " + missing + " does not exist");
    }

    private enum ExistingGridStub implements Grid {
        INSTANCE;

        @Override
        public java.net.URI url() {
            return java.net.URI.create("http://127.0.0.1:1");
        }

        @Override
        public java.util.List<GridNode> nodes() {
            return java.util.List.of();
        }

        @Override
        public java.util.List<GridSession> sessions() {
            return java.util.List.of();
        }
    }
}
