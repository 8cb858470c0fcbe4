package dev.rpcparallel.launcher;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A master run by {@link RuntimeThreadsAfterStartAppIT}: in {@code startApp} it spawns a worker
 * and makes the calls an application makes (a call with a deadline, an asynchronous call, a
 * pipe), shuts the worker down and, still in {@code startApp} (its registration server open),
 * watches the runtime's timer for at most 20 s: {@code TIMER ENDED WITH NO WORKER AFTER N ms} or
 * {@code TIMER STILL RUNNING AFTER N ms}. Once {@code startApp} has returned it watches all the
 * runtime's threads (named {@code rpc-parallel-...}) for at most 20 s and prints
 * {@code RUNTIME THREADS [...]} right after, then {@code ENDED AFTER N ms} or
 * {@code STILL RUNNING AFTER N ms: [...]}.
 */
public final class RuntimeThreadsAfterStartAppMaster {
    private static final long WATCH_MILLIS = 20_000;

    private RuntimeThreadsAfterStartAppMaster() {}

    public static void main(String[] args) throws InterruptedException {
        Parallel.startApp(args, masterArgs -> {
            WorkerRef worker = Parallel.spawn(Kinds.TYPE, null,
                    SpawnOptions.builder().name("threads-after-start-app").build());
            try (Connection kinds = Parallel.connect(worker)) {
                System.out.println("PING " + kinds.call(Kinds.PING, "a", Duration.ofMinutes(2)));
                System.out.println("SLEEP " + kinds.callAsync(Kinds.SLEEP, 1L,
                        CallOptions.timeout(Duration.ofMinutes(2))).join());
                try (RemoteStream<Long> numbers = kinds.pipe(Kinds.NUMBERS, 3L)) {
                    System.out.println("PIPE " + numbers.stream().toList());
                }
            }
            Parallel.shutdown(worker);
            long shutDown = System.nanoTime();
            boolean timer = awaitGone("rpc-parallel-timer-0");
            long timerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shutDown);
            System.out.println((timer ? "TIMER ENDED WITH NO WORKER AFTER " : "TIMER STILL RUNNING AFTER ")
                    + timerMillis + " ms");
        });
        long start = System.nanoTime();
        System.out.println("RUNTIME THREADS " + runtimeThreads());
        List<String> left = runtimeThreads();
        while (!left.isEmpty() && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS)) {
            Thread.sleep(50);
            left = runtimeThreads();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println(left.isEmpty() ? "ENDED AFTER " + millis + " ms" : "STILL RUNNING AFTER " + millis + " ms: " + left);
        System.out.flush();
    }

    private static boolean awaitGone(String thread) {
        long start = System.nanoTime();
        while (runtimeThreads().contains(thread)) {
            if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS)) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static List<String> runtimeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("rpc-parallel")).sorted().toList();
    }
}
