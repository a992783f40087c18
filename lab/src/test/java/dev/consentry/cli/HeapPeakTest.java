package dev.consentry.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeapPeakTest {
    private static volatile byte keep;

    @Test
    void aPeakThatACollectionClearedIsStillSeen() {
        try (HeapPeak heap = new HeapPeak()) {
            long seen = heap.collections();
            byte[] big = new byte[64 << 20];
            big[big.length - 1] = 1;
            keep = big[big.length - 1];
            big = null;
            System.gc();
            // Notifications come on a JVM thread after the collection: wait for it, bounded. Not for the first one
            // only: allocating 64 MB may itself start a collection (G1's "humongous allocation"), reported before the
            // array existed and maybe only after System.gc() returned (seen on a fresh CI machine).
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((heap.collections() == seen || heap.peakBytes() < 64L << 20) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long usedNow = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertThat(heap.collections()).isGreaterThan(seen);
            // Gone from the heap now: only the usage reported before the collection holds the 64 MB.
            assertThat(usedNow).isLessThan(64L << 20);
            assertThat(heap.peakBytes()).isGreaterThanOrEqualTo(64L << 20);
        }
    }
}
