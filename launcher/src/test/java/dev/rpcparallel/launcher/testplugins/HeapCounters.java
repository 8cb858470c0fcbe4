package dev.rpcparallel.launcher.testplugins;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What this JVM has allocated and collected so far, on every thread, dead ones included: the
 * bytes allocated (the heap's use now, plus what every collection since {@link #install} freed,
 * from the collectors' notifications), the young and old collections, and the young
 * generation's size. Works in a worker (through {@link LargePayloads#HEAP_COUNTERS}) and in the
 * test's own JVM alike.
 */
public record HeapCounters(long allocatedBytes, long youngCollections, long oldCollections, long youngGenerationBytes) {

    private static final AtomicLong FREED = new AtomicLong();
    private static final AtomicLong COLLECTIONS_SEEN = new AtomicLong();
    private static long collectionsAtInstall = -1;

    /** Starts counting what collections free; before the first {@link #now()}. Idempotent. */
    public static synchronized void install() {
        if (collectionsAtInstall >= 0) {
            return;
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                FREED.addAndGet(used(info.getMemoryUsageBeforeGc()) - used(info.getMemoryUsageAfterGc()));
                COLLECTIONS_SEEN.incrementAndGet();
            }, null, null);
        }
        collectionsAtInstall = collections();
    }

    /** The counters now, once every collection so far has been accounted for. */
    public static HeapCounters now() {
        install();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long young;
        long old;
        long heapUsed;
        while (true) {
            young = 0;
            old = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (isYoung(collector.getName())) {
                    young += collector.getCollectionCount();
                } else {
                    old += collector.getCollectionCount();
                }
            }
            heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (COLLECTIONS_SEEN.get() >= young + old - collectionsAtInstall) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the notifications of " + (young + old - collectionsAtInstall)
                        + " collections did not arrive; " + COLLECTIONS_SEEN.get() + " did");
            }
            Thread.onSpinWait();
        }
        long youngBytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (name.contains("Eden") || name.contains("Survivor")) {
                youngBytes += Math.max(0, pool.getUsage().getCommitted());
            }
        }
        return new HeapCounters(heapUsed + FREED.get(), young, old, youngBytes);
    }

    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += collector.getCollectionCount();
        }
        return count;
    }

    private static long used(Map<String, MemoryUsage> pools) {
        return pools.values().stream().mapToLong(MemoryUsage::getUsed).sum();
    }

    /** The young collectors of the serial, parallel and G1 collectors. */
    private static boolean isYoung(String collector) {
        return collector.equals("Copy") || collector.equals("PS Scavenge") || collector.equals("G1 Young Generation");
    }

    public List<Long> toList() {
        return List.of(allocatedBytes, youngCollections, oldCollections, youngGenerationBytes);
    }

    public static HeapCounters of(List<Long> values) {
        return new HeapCounters(values.get(0), values.get(1), values.get(2), values.get(3));
    }

    /** What was allocated and collected between {@code before} and this. */
    public HeapCounters since(HeapCounters before) {
        return new HeapCounters(allocatedBytes - before.allocatedBytes, youngCollections - before.youngCollections,
                oldCollections - before.oldCollections, youngGenerationBytes);
    }
}
