package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.cli.BenchFlowFiles;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Not a test: times {@link FlowFile#read} (this reader, mitmproxy only where unsure) against mitmproxy's reader on
 * its own (consentry_flowread.py, the reader before), alternating in one JVM, on the bench generator's flows written
 * by MitmFlowWriter. CPU time = the reading Java thread + the child processes reaped meanwhile (/proc/self/stat
 * cutime+cstime); the whole JVM's CPU (GC, JIT) is printed too.
 *
 * <pre>java -cp ... dev.consentry.mitm.FlowReadBench FILE.mitm BODY_MB ROUNDS [new-only]</pre>
 * (FILE is written first when it does not exist.)
 */
public final class FlowReadBench {
    private FlowReadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long bodyMb = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean newOnly = args.length > 3 && args[3].equals("new-only"); // e.g. a 2 GB file under -Xmx512m
        if (!Files.exists(file)) {
            int n = BenchFlowFiles.writeBodies(file, bodyMb << 20, 2);
            System.out.println("wrote " + n + " flows, " + Files.size(file) + " bytes");
        }
        Path work = Files.createTempDirectory("flowreadbench");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("load " + Files.readString(Path.of("/proc/loadavg")).strip());
        List<Double> oldCpu = new ArrayList<>();
        List<Double> newCpu = new ArrayList<>();
        long[] bodies = new long[1];
        int[] flows = new int[1];
        FlowFile.Sink sink = new FlowFile.Sink() {
            @Override
            public void flow(int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
                bodies[0] += flow.request().body().length;
                flows[0]++;
            }

            @Override
            public void badFlow(int index, String problem) {
                throw new IllegalStateException(problem);
            }
        };
        for (int round = 0; round <= rounds; round++) {
            for (int side = 0; side < 2; side++) {
                boolean newer = (round + side) % 2 == 0; // who goes first alternates too
                if (newOnly && !newer) {
                    continue;
                }
                bodies[0] = 0;
                flows[0] = 0;
                System.gc();
                ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
                long t0 = threads.getCurrentThreadCpuTime();
                long c0 = childrenTicks();
                long p0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                if (newer) {
                    FlowFile.read(file, work, Duration.ofMinutes(10), sink);
                } else {
                    FlowFile.readWithPython(file, work, Duration.ofMinutes(10), sink, 0, 0);
                }
                double wall = (System.nanoTime() - w0) / 1e9;
                double thread = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
                double children = (childrenTicks() - c0) / 100.0;
                double jvm = (os.getProcessCpuTime() - p0) / 1e9;
                double cpu = thread + children;
                System.out.printf("round %d %s: %d flows, %.1f MB bodies; thread %.2f s + children %.2f s = %.2f s"
                                + " (%.1f MB/s per CPU s); whole JVM %.2f s; wall %.2f s%n", round,
                        newer ? "new" : "old", flows[0], bodies[0] / 1048576.0, thread, children, cpu,
                        bodies[0] / 1048576.0 / cpu, jvm, wall);
                if (round > 0) { // round 0 warms the JIT
                    (newer ? newCpu : oldCpu).add(cpu);
                }
            }
        }
        if (newOnly) {
            System.out.println("peak heap in use (all pools) " + peakHeapMb() + " MB of max "
                    + Runtime.getRuntime().maxMemory() / 1048576 + " MB");
            return;
        }
        System.out.printf("median CPU: old %.2f s (%.2f-%.2f), new %.3f s (%.3f-%.3f), old/new %.1fx%n",
                median(oldCpu), Collections.min(oldCpu), Collections.max(oldCpu), median(newCpu),
                Collections.min(newCpu), Collections.max(newCpu), median(oldCpu) / median(newCpu));
        System.out.println("load " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576;
    }

    /** CPU of this process's reaped children, in clock ticks (USER_HZ, 100 on Linux). */
    private static long childrenTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16 and 17: cutime, cstime
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
