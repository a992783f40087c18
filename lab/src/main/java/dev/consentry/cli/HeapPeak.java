package dev.consentry.cli;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap in use at any moment while it is open: the heap pools' usage summed just before each collection,
 * where the used heap peaks (the JVM reports every collection with that usage). The sum of each pool's own peak,
 * which the bench printed before, adds peaks reached at different times (a full eden beside the old generation after
 * its last growth) and overstates the heap ever in use.
 */
final class HeapPeak implements AutoCloseable {
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;

    HeapPeak() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        peak.accumulateAndGet(usedNow(), Math::max);
    }

    private void collected(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        peak.accumulateAndGet(used, Math::max);
        collections.incrementAndGet();
    }

    private long usedNow() {
        return sumOverHeapPools(pool -> pool.getUsage().getUsed());
    }

    /** Each heap pool's own peak, summed: what the bench printed before; peaks of different moments, so higher. */
    long sumOfPoolPeaks() {
        return sumOverHeapPools(pool -> pool.getPeakUsage().getUsed());
    }

    private long sumOverHeapPools(ToLongFunction<MemoryPoolMXBean> used) {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (heapPools.contains(pool.getName())) {
                sum += used.applyAsLong(pool);
            }
        }
        return sum;
    }

    /** The most heap in use so far, in bytes: before any collection reported, or now if that is more. */
    long peakBytes() {
        return peak.accumulateAndGet(usedNow(), Math::max);
    }

    /** Collections reported so far (notifications arrive on a JVM thread, a little after each collection). */
    long collections() {
        return collections.get();
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never added to this one
            }
        }
    }
}
