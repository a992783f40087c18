package dev.consentry.leak;

import dev.consentry.capture.CapturedFlow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector is shared by analyze's scanner threads: many threads scanning random nested flows at once on one
 * detector, built fresh so that nothing is warmed up before they start, must each get exactly what a sequential scan
 * on another detector gets. Fails when a decoder or the matcher keeps scratch state that two threads share (checked
 * by making InflateDecoder's per-thread FastInflater one shared instance: wrong bytes and damage within one run).
 */
class ConcurrentScanTest {
    private static final int FLOWS = 1500;
    private static final int THREADS = 6;

    @Test
    void threadsSharingOneDetectorGetWhatSequentialScansGet() throws Exception {
        List<CapturedFlow> flows = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        LeakDetector sequential = new LeakDetector(TransformTableTest.EVERY_KIND);
        int findings = 0;
        int damaged = 0;
        for (int i = 0; i < FLOWS; i++) {
            CapturedFlow f = RandomFlows.flow(i, TransformTableTest.EVERY_KIND);
            flows.add(f);
            FlowScan s = sequential.inspect(f);
            findings += s.findings().size();
            damaged += s.damage().isEmpty() ? 0 : 1;
            expected.add(result(sequential, f));
        }
        // The flows exercise what they should: findings in many, and damage (cut gzip) in some.
        assertThat(findings).isGreaterThan(FLOWS);
        assertThat(damaged).isGreaterThan(FLOWS / 20);

        LeakDetector shared = new LeakDetector(TransformTableTest.EVERY_KIND);
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        Queue<Throwable> failed = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < FLOWS; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(t));
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i : order) {
                        String got = result(shared, flows.get(i));
                        if (!got.equals(expected.get(i))) {
                            wrong.add("flow " + i + ": expected " + expected.get(i) + "\n got " + got);
                        }
                    }
                } catch (Throwable e) {
                    failed.add(e);
                }
            }, "scanner-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
        }
        assertThat(failed).isEmpty();
        assertThat(wrong).as("%d of %d scans differ", wrong.size(), FLOWS * THREADS).isEmpty();
    }

    /** Everything a scan says about a flow: findings and damage, and the body scanned as a WebSocket message. */
    private static String result(LeakDetector detector, CapturedFlow f) {
        return detector.inspect(f) + " ws " + detector.scanMessage(f, "websocket", f.request().body());
    }
}
