package dev.rpcparallel.launcher;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DeadlineExceededException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Deadlines;
import java.util.concurrent.TimeUnit;

/**
 * A master run in its own JVM by {@link DeadlinesIT}, with a default call timeout set through
 * {@code RPC_PARALLEL_SETTINGS}: makes a call without a timeout of its own that outlasts it, and
 * prints what happened, one fact per line, then {@code READY}.
 */
public final class DeadlineSettingsMaster {
    private DeadlineSettingsMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            WorkerRef worker = Parallel.spawn(Deadlines.TYPE, null, SpawnOptions.builder().name("dl-default").build());
            try (Connection connection = Parallel.connect(worker)) {
                long start = System.nanoTime();
                try {
                    connection.call(Deadlines.BLOCK, "default");
                    System.out.println("NOT FAILED");
                } catch (DeadlineExceededException e) {
                    System.out.println("FAILED " + e.getMessage());
                    System.out.println("AFTER_MS " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                // The worker reports what its call saw; it may take a moment to get there.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                String seen = connection.call(Deadlines.SEEN, "default");
                while (!seen.startsWith("interrupted") && System.nanoTime() < until) {
                    Thread.sleep(20);
                    seen = connection.call(Deadlines.SEEN, "default");
                }
                System.out.println("SEEN " + seen);
                // A call given no timeout at all ignores the default: the worker sees no deadline.
                System.out.println("NO_TIMEOUT_REMAINING " + connection.callAsync(Deadlines.REMAINING, null,
                        CallOptions.noTimeout()).join());
                // The default travelled to the worker: a call it makes without a timeout, in a call
                // that has none, gets the default (the inner time left, in microseconds).
                WorkerRef other = Parallel.spawn(Deadlines.TYPE, null, SpawnOptions.builder().name("dl-other").build());
                java.util.List<Long> remaining = connection.callAsync(Deadlines.REMAINING_VIA, other,
                        CallOptions.noTimeout()).join();
                System.out.println("WORKER_OUTER " + remaining.get(0));
                System.out.println("WORKER_INNER_WITHIN_DEFAULT " + (remaining.get(1) > 0 && remaining.get(1) <= 1_000_000));
            }
            System.out.println("READY");
            System.out.flush();
        });
    }
}
