package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteState;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Bulk;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;

/**
 * A master, run in its own JVM with a small heap by {@link StreamMemoryIT}, that takes a pipe's
 * and a state's 1 MiB elements from a worker slowly while another thread keeps calling on the
 * same connection. Prints one fact per line, then {@code READY}.
 *
 * <p>Arguments: the number of elements of each stream, the consumer's milliseconds before it
 * takes the first element, and per element.
 */
public final class SlowStreamsMaster {
    private SlowStreamsMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            if (masterArgs[0].equals("flood")) {
                flood();
                return;
            }
            long count = Long.parseLong(masterArgs[0]);
            long pauseMillis = Long.parseLong(masterArgs[1]);
            long millisEach = Long.parseLong(masterArgs[2]);
            WorkerRef worker = Parallel.spawn(Bulk.TYPE, null, SpawnOptions.builder().name("bulk-source").build());
            try (Connection connection = Parallel.connect(worker)) {
                Pinger pinger = new Pinger(connection);
                pinger.start();
                try (RemoteStream<byte[]> blobs = connection.pipe(Bulk.BLOBS, count)) {
                    System.out.println("PIPE " + takeSlowly(blobs, 0, pauseMillis, millisEach));
                }
                try (RemoteState<byte[], byte[]> state = connection.state(Bulk.BLOB_STATE, count)) {
                    long initial = Bulk.indexOf(state.initialState());
                    String updates = takeSlowly(state.updates(), 1, pauseMillis, millisEach);
                    System.out.println("STATE initial " + initial + ", updates " + updates);
                }
                pinger.stopAndJoin();
                System.out.println("PINGS " + pinger);
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("PEAK_HEAP_MIB " + peak / (1024 * 1024));
            System.out.println("READY");
            System.out.flush();
        });
    }

    /** Takes a direct pipe's blobs slowly; prints how it closed. */
    private static void flood() throws Exception {
        WorkerRef worker = Parallel.spawn(Bulk.TYPE, null, SpawnOptions.builder().name("bulk-flood").build());
        try (Connection connection = Parallel.connect(worker)) {
            java.util.concurrent.CompletableFuture<Throwable> closed = new java.util.concurrent.CompletableFuture<>();
            connection.directPipe(Bulk.FLOOD, 100L, new dev.rpcparallel.api.DirectPipeCallback<byte[]>() {
                @Override
                public void onElement(byte[] blob) {
                    LockSupport.parkNanos(100_000_000); // the slow consumer
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            Throwable error = closed.get(120, java.util.concurrent.TimeUnit.SECONDS);
            System.out.println("CLOSED " + (error == null ? "normally" : error.getMessage()));
            // The worker's writer learns of the refusal after the failure has left for this side:
            // its outcome may still say "running" for a moment after onClosed.
            AtomicReference<String> outcome = new AtomicReference<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                outcome.set(connection.call(Bulk.FLOOD_OUTCOME, null));
                return !outcome.get().equals("running");
            });
            System.out.println("WORKER " + outcome.get());
        }
        System.out.println("READY");
        System.out.flush();
    }

    /** Takes every element, checking its number, a while each: "N in order" or what was wrong. */
    private static String takeSlowly(RemoteStream<byte[]> stream, long first, long pauseMillis, long millisEach) {
        long expected = first;
        LockSupport.parkNanos(pauseMillis * 1_000_000); // the producer runs ahead meanwhile, as far as it may
        for (byte[] blob : stream) {
            long index = Bulk.indexOf(blob);
            if (index != expected) {
                return "blob " + expected + " expected, got " + index;
            }
            expected++;
            LockSupport.parkNanos(millisEach * 1_000_000); // the consumer's own slowness
        }
        return (expected - first) + " in order";
    }
}
