package dev.consentry.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The analyze pipeline alone: order, the bound on bytes in flight, failures per item and of a thread, stopping. */
class ScanPipelineTest {
    private static final String NAME = "pipeline-test";
    private final List<String> got = Collections.synchronizedList(new ArrayList<>());

    private final ScanPipeline.Sink<Integer, String> sink = new ScanPipeline.Sink<>() {
        @Override
        public void result(Integer item, String result) {
            got.add(result);
        }

        @Override
        public void failed(Integer item, RuntimeException e) {
            got.add(item + " failed: " + e.getMessage());
        }
    };

    private ScanPipeline<Integer, String> pipeline(int threads, long budget, Function<Integer, String> work,
                                                   Runnable onFull) {
        return new ScanPipeline<>(threads, budget, work, i -> 10, sink, NAME, onFull);
    }

    @AfterEach
    void noThreadLeft() {
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(NAME) && t.isAlive());
    }

    @Test
    void resultsComeInSubmissionOrderWhateverOrderTheThreadsFinishIn() throws Exception {
        // Item k (k < 20) waits until item 39 - k has been worked on: the later items finish first.
        int n = 40;
        List<CountDownLatch> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            done.add(new CountDownLatch(1));
        }
        List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
        Function<Integer, String> work = i -> {
            try {
                if (i < n / 2 && !done.get(n - 1 - i).await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            finished.add(i);
            done.get(i).countDown();
            return "r" + i;
        };
        try (ScanPipeline<Integer, String> p = pipeline(n, Long.MAX_VALUE, work, () -> { })) {
            for (int i = 0; i < n; i++) {
                p.submit(i);
            }
            p.finish();
        }
        assertThat(finished.get(0)).isGreaterThanOrEqualTo(n / 2); // the threads did finish out of order
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("r" + i);
        }
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void theReaderWaitsWhenTheBytesInFlightWouldPassTheBudget() throws Exception {
        // 10 bytes an item, 45 in budget: 4 items in flight, then the reader must wait for the first to be reported.
        CountDownLatch gate = new CountDownLatch(1);
        int[] submittedWhenFull = {-1};
        int[] submitted = {0};
        Function<Integer, String> work = i -> {
            try {
                if (!gate.await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "r" + i;
        };
        Runnable onFull = () -> {
            if (submittedWhenFull[0] < 0) {
                submittedWhenFull[0] = submitted[0];
                assertThat(got).isEmpty(); // nothing could be worked on yet
                gate.countDown();
            }
        };
        try (ScanPipeline<Integer, String> p = pipeline(2, 45, work, onFull)) {
            for (int i = 0; i < 20; i++) {
                p.submit(i);
                submitted[0]++;
            }
            p.finish();
            assertThat(p.peakInFlight()).isLessThanOrEqualTo(45);
        }
        assertThat(submittedWhenFull[0]).isEqualTo(4);
        assertThat(got).hasSize(20).startsWith("r0", "r1").endsWith("r19");
    }

    @Test
    void anItemHeavierThanTheBudgetGoesAloneOnceNothingElseIsInFlight() {
        try (ScanPipeline<Integer, String> p = new ScanPipeline<>(2, 15, i -> "r" + i, i -> i == 2 ? 100 : 10, sink,
                NAME, () -> { })) {
            for (int i = 0; i < 5; i++) {
                p.submit(i);
            }
            p.finish();
            assertThat(p.peakInFlight()).isEqualTo(100);
        }
        assertThat(got).containsExactly("r0", "r1", "r2", "r3", "r4");
    }

    @Test
    void aFailingItemIsReportedInItsPlaceAndTheOthersGoOn() {
        Function<Integer, String> work = i -> {
            if (i % 3 == 1) {
                throw new IllegalArgumentException("bad " + i);
            }
            return "r" + i;
        };
        try (ScanPipeline<Integer, String> p = pipeline(3, 30, work, () -> { })) {
            for (int i = 0; i < 7; i++) {
                p.submit(i);
            }
            p.finish();
        }
        assertThat(got).containsExactly("r0", "1 failed: bad 1", "r2", "r3", "4 failed: bad 4", "r5", "r6");
    }

    @Test
    void aThreadThatDiesStopsThePipelineAndNothingAfterItIsReported() {
        Function<Integer, String> work = i -> {
            if (i == 5) {
                // It dies once r0-r4 are reported: otherwise whether the other thread was still on item 2 or 4 when
                // this one died is a matter of timing (a fresh-clone run on 2 cores got only r0 once).
                for (int k = 0; k < 10_000 && !got.contains("r4"); k++) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                throw new AssertionError("thread dies");
            }
            return "r" + i;
        };
        ScanPipeline<Integer, String> p = pipeline(2, 1000, work, () -> { });
        try (p) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    p.submit(i);
                }
                p.finish();
            }).isInstanceOf(ScanPipeline.Stopped.class).hasMessageContaining("thread dies")
                    .hasCauseInstanceOf(AssertionError.class);
            assertThat(p.pending()).isPositive();
        }
        assertThat(got).containsExactly("r0", "r1", "r2", "r3", "r4");
    }

    @Test
    void anInterruptedThreadStopsThePipelineWithoutHangingTheReader() throws Exception {
        Thread[] worker = {null};
        CountDownLatch taken = new CountDownLatch(1);
        Function<Integer, String> work = i -> {
            if (i == 0) {
                worker[0] = Thread.currentThread();
                taken.countDown();
            }
            return "r" + i;
        };
        ScanPipeline<Integer, String> p = pipeline(1, 1000, work, () -> { });
        try (p) {
            p.submit(0);
            assertThat(taken.await(1, TimeUnit.MINUTES)).isTrue();
            worker[0].interrupt(); // its next wait for an item ends, the pipeline is broken
            assertThatThrownBy(() -> {
                for (int i = 1; i < 50; i++) {
                    p.submit(i);
                }
                p.finish();
            }).isInstanceOf(ScanPipeline.Stopped.class).hasMessageContaining("interrupted");
        }
        assertThat(got).startsWith("r0").doesNotContain("r49");
    }

    @Test
    void anInterruptedReaderStopsAndKeepsItsInterruptFlag() {
        Function<Integer, String> work = i -> "r" + i;
        CountDownLatch never = new CountDownLatch(1);
        ScanPipeline<Integer, String> p = pipeline(2, 25, i -> {
            try {
                never.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return work.apply(i);
        }, () -> Thread.currentThread().interrupt());
        try (p) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    p.submit(i);
                }
            }).isInstanceOf(ScanPipeline.Stopped.class).hasMessage("interrupted");
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(got).isEmpty();
    }

    @Test
    void closeStopsEveryThreadAlsoWhenNothingWasSubmitted() {
        ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
        try (ScanPipeline<Integer, String> p = pipeline(4, 10, i -> "r" + i, () -> { })) {
            Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(NAME))
                    .forEach(t -> names.put(t.getName(), t.isDaemon()));
            p.finish();
        }
        assertThat(names).hasSize(4);
        assertThat(names.values()).containsOnly(true);
    }
}
