package dev.consentry.grid;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A Grid someone else runs (a device farm's): only read, never started or stopped from here, hence not closeable.
 */
public final class ExistingGrid implements Grid {
    private final GridClient client;

    private ExistingGrid(URI url) {
        this.client = new GridClient(url);
    }

    /** The Grid at {@code url}, once its hub answers {@code /status}; fails after {@code timeout}. */
    public static ExistingGrid awaitReady(URI url, Duration timeout) {
        ExistingGrid grid = new ExistingGrid(url);
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (grid.client.answers()) {
                    return grid;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GridException("interrupted while waiting for the Grid at " + url, e);
            } catch (Exception e) {
                last = e;
            }
            sleep();
        }
        throw new GridException("the Grid at " + url + " did not answer /status within " + timeout.toSeconds()
                + " s" + (last == null ? "" : ": " + last));
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GridException("interrupted while waiting for a Grid", e);
        }
    }

    @Override
    public URI url() {
        return client.url();
    }

    @Override
    public List<GridNode> nodes() {
        return client.nodes();
    }

    @Override
    public List<GridSession> sessions() {
        return client.sessions();
    }

    @Override
    public String toString() {
        return "existing Grid at " + url();
    }
}
