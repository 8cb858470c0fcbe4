package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Bulk;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams are bounded in bytes: 1 MiB elements to a slow consumer in a JVM with a 256 MiB heap
 * (which a window of 1,024 elements alone would let fill with 1 GiB) all arrive, in order, while
 * another call on the same connection keeps answering; a direct pipe to a slow callback fails as
 * "consumer too slow" on both sides instead of filling either's memory.
 */
class StreamMemoryIT {
    /** 300 MiB: more than the heap of the consumer, which must never hold them all. */
    private static final long BLOBS = 300;
    /** How long a consumer waits before it takes the first element: its producer runs ahead meanwhile. */
    private static final long PAUSE_MILLIS = 3_000;
    private static final String SMALL_HEAP = "-Xmx256m";

    /** A worker with a small heap that dies at once rather than limp on after an OutOfMemoryError. */
    private static WorkerRef sink;

    @BeforeAll
    static void spawnSink() {
        sink = Parallel.spawn(Bulk.TYPE, null, SpawnOptions.builder().name("bulk-sink")
                .addJvmOptions(SMALL_HEAP, "-XX:+ExitOnOutOfMemoryError").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void aMasterWithA256MiBHeapTakesAPipeAndAStateOf1MiBElementsSlowlyWhileAnotherCallKeepsAnswering()
            throws Exception {
        try (MasterProcess master = MasterProcess.start(SlowStreamsMaster.class,
                List.of(SMALL_HEAP, "-XX:+ExitOnOutOfMemoryError"), Map.of(), Long.toString(BLOBS),
                Long.toString(PAUSE_MILLIS), "5")) {
            CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return master.awaitReady(300);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // An OutOfMemoryError ends the master at once: do not wait for READY then.
            CompletableFuture.anyOf(ready, master.process().onExit()).get(300, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ready.isDone()
                    || master.process().onExit().isDone() && master.process().exitValue() != 0);
            assertThat(ready).as("the master's READY (it ended with %s)", master.process().isAlive()
                    ? "nothing yet" : "exit code " + master.process().exitValue()).isDone();
            List<String> lines = ready.get();
            System.out.println("slow master: " + lines);
            assertThat(lines).contains("PIPE " + BLOBS + " in order", "STATE initial 0, updates " + BLOBS + " in order");
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("PINGS ").contains("none failed")
                    .doesNotStartWith("PINGS 0 "));
            assertThat(master.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(master.process().exitValue()).isZero();
        }
    }

    @Test
    void aDirectPipeCallbackRunsOffTheReadingThreadSoItMayCallOnItsOwnConnection() throws Exception {
        try (Connection connection = Parallel.connect(sink)) {
            List<String> answers = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            connection.directPipe(Bulk.FLOOD, 3L, new DirectPipeCallback<byte[]>() {
                @Override
                public void onElement(byte[] blob) {
                    answers.add(connection.call(Bulk.PING, "blob " + Bulk.indexOf(blob)));
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            assertThat(closed.get(60, TimeUnit.SECONDS)).isNull();
            assertThat(answers).containsExactly("blob 0", "blob 1", "blob 2");
        }
    }

    @Test
    void theDirectPipeBoundOfTheMastersSettingsIsTheOneItsWorkersEnforce() throws Exception {
        try (MasterProcess master = MasterProcess.start(SlowStreamsMaster.class, List.of(),
                Map.of("RPC_PARALLEL_SETTINGS", "directPipeQueueBytes=4MiB"), "flood")) {
            List<String> lines = master.awaitReady(180);
            // 4 MiB hold three blobs with their encoding's few bytes each: the worker refuses the
            // fourth (or a later one if the callback took some meanwhile), never the seventeenth
            // that the default of 16 MiB would refuse.
            assertThat(lines).anySatisfy(line -> assertThat(line).matches("WORKER refused blob ([3-9]|1[0-2]), closed"));
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(
                    "CLOSED function 'flood' of worker 'bulk-flood' failed, consumer too slow: ")
                    .contains("the bound of 4194304 bytes (directPipeQueueBytes)"));
        }
    }

    @Test
    void aWorkerWithA256MiBHeapTakesAReversePipeOf1MiBUpdatesSlowlyWhileAnotherCallKeepsAnswering()
            throws Exception {
        try (Connection connection = Parallel.connect(sink)) {
            Pinger pinger = new Pinger(connection);
            pinger.start();
            assertThat(connection.reversePipe(Bulk.SWALLOW, List.of(PAUSE_MILLIS, 5L), Bulk.blobs(BLOBS)))
                    .isEqualTo(BLOBS + " blobs in order");
            long pingsDuringTheFirst = pinger.answered();

            // From a publisher, which may run ahead of the worker as far as its own buffer allows.
            ExecutorService publishing = Executors.newSingleThreadExecutor();
            try (SubmissionPublisher<byte[]> publisher = new SubmissionPublisher<>(publishing, 4)) {
                CompletableFuture<String> answer =
                        connection.reversePipeAsync(Bulk.SWALLOW, List.of(PAUSE_MILLIS, 5L), publisher);
                for (Iterator<byte[]> blobs = Bulk.blobs(BLOBS); blobs.hasNext(); ) {
                    publisher.submit(blobs.next());
                }
                publisher.close();
                assertThat(answer.get(300, TimeUnit.SECONDS)).isEqualTo(BLOBS + " blobs in order");
            } finally {
                publishing.shutdownNow();
            }
            pinger.stopAndJoin();
            System.out.println("reverse pipes into a slow worker, pings: " + pinger);
            assertThat(pinger.failure()).isNull();
            assertThat(pingsDuringTheFirst).isPositive();
            assertThat(pinger.answered()).isGreaterThan(pingsDuringTheFirst);
        }
    }

    @Test
    void aDirectPipeToASlowCallbackFailsAsConsumerTooSlowOnBothSidesWhileTheConnectionServesOthers()
            throws Exception {
        try (Connection connection = Parallel.connect(sink);
                RemoteStream<LogEvent> workerLog = connection.logs()) {
            Pinger pinger = new Pinger(connection);
            pinger.start();
            List<Long> delivered = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            connection.directPipe(Bulk.FLOOD, 200L, new DirectPipeCallback<byte[]>() {
                @Override
                public void onElement(byte[] blob) {
                    delivered.add(Bulk.indexOf(blob));
                    LockSupport.parkNanos(100_000_000); // the slow consumer
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            Throwable error = closed.get(120, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(RpcParallelException.class);
            assertThat(error.getMessage())
                    .startsWith("function 'flood' of worker 'bulk-sink' failed, consumer too slow: ")
                    .contains("the bound of 16777216 bytes (directPipeQueueBytes)",
                            "RpcSettings.withDirectPipeQueueBytes or RPC_PARALLEL_SETTINGS=directPipeQueueBytes=");
            assertThat(delivered).as("what reached the callback, in order")
                    .isEqualTo(java.util.stream.LongStream.range(0, delivered.size()).boxed().toList());

            // The worker's side: its writer was refused, and it said why in its log.
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> connection.call(Bulk.FLOOD_OUTCOME, null), outcome -> outcome.startsWith("refused"));
            String outcome = connection.call(Bulk.FLOOD_OUTCOME, null);
            assertThat(outcome).endsWith(", closed");
            long refused = Long.parseLong(outcome.split(" ")[2].replace(",", ""));
            // 16 MiB hold fifteen blobs with their encoding's few bytes each; more as the callback takes some.
            assertThat(refused).as("blobs pushed before the bound stopped them").isBetween(15L, 40L);
            String warning = null;
            for (LogEvent event : workerLog) {
                if (event.message().contains("consumer too slow")) {
                    assertThat(event.level()).isEqualTo("WARN");
                    warning = event.message();
                    break;
                }
            }
            assertThat(warning).isEqualTo(error.getMessage());

            assertThat(connection.call(Bulk.PING, "after")).isEqualTo("after");
            pinger.stopAndJoin();
            System.out.println("direct pipe to a slow callback: " + delivered.size() + " delivered, worker " + outcome
                    + "; pings: " + pinger);
            assertThat(pinger.failure()).isNull();
            assertThat(pinger.answered()).isPositive();
        }
    }
}
