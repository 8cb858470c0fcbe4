package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DeadlineExceededException;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Deadlines;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deadlines and cancellation of calls and streams, against real worker JVMs: what the caller
 * gets, and what the worker's implementation sees (read back through {@link Deadlines#SEEN}).
 * Two workers are shared; every test uses keys of its own.
 */
class DeadlinesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static WorkerRef first;
    private static WorkerRef second;

    @BeforeAll
    static void spawnWorkers() {
        first = Parallel.spawn(Deadlines.TYPE, null, SpawnOptions.builder().name("dl-first").build());
        second = Parallel.spawn(Deadlines.TYPE, null, SpawnOptions.builder().name("dl-second").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdown(first);
        Parallel.shutdown(second);
    }

    private static void awaitSeen(Connection connection, String key, String expected) {
        await().atMost(WAIT).until(() -> connection.call(Deadlines.SEEN, key), seen -> seen.equals(expected));
    }

    @Test
    void cancellingTheFutureOfALongCallInterruptsItInTheWorker() {
        try (Connection connection = Parallel.connect(first)) {
            CompletableFuture<String> call = connection.callAsync(Deadlines.BLOCK, "cancel");
            awaitSeen(connection, "cancel", "started");

            assertThat(call.cancel(true)).isTrue();

            assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            awaitSeen(connection, "cancel", "interrupted, cancelled=true, deadline=false");
            // The connection serves on.
            assertThat(connection.call(Deadlines.PING, "after")).isEqualTo("after");
        }
    }

    @Test
    void aBlockingCallPastItsDeadlineFailsNamingFunctionWorkerAndDeadline() {
        try (Connection connection = Parallel.connect(first)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> connection.call(Deadlines.BLOCK, "deadline", Duration.ofMillis(400)))
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("Call of function 'block' on worker 'dl-first' exceeded its deadline of 400 ms;"
                            + " the worker was told to cancel it")
                    .satisfies(e -> {
                        DeadlineExceededException exceeded = (DeadlineExceededException) e;
                        assertThat(exceeded.workerName()).isEqualTo("dl-first");
                        assertThat(exceeded.function()).isEqualTo("function 'block'");
                        assertThat(exceeded.deadline()).isEqualTo(Duration.ofMillis(400));
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), WAIT);
            // The worker knew the deadline, and cancelled the call when it passed.
            awaitSeen(connection, "deadline", "interrupted, cancelled=true, deadline=true");
        }
    }

    @Test
    void anAsyncCallPastItsDeadlineFailsItsFuture() {
        try (Connection connection = Parallel.connect(second)) {
            CompletableFuture<String> call = connection.callAsync(Deadlines.BLOCK, "async-deadline",
                    CallOptions.timeout(Duration.ofMillis(300)));
            assertThatThrownBy(() -> call.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("Call of function 'block' on worker 'dl-second' exceeded its deadline of 300 ms;"
                            + " the worker was told to cancel it");
            awaitSeen(connection, "async-deadline", "interrupted, cancelled=true, deadline=true");
        }
    }

    @Test
    void aCallMadeInsideACallInheritsWhatIsLeftOfItsDeadline() {
        try (Connection connection = Parallel.connect(first)) {
            List<Long> remaining = connection.call(Deadlines.REMAINING_VIA, second, Duration.ofSeconds(20));
            long outer = remaining.get(0);
            long inner = remaining.get(1);
            // The outer call had at most the 20 s given; the inner one, made with no timeout of its
            // own, got a deadline, and no more time than the outer call had left when it made it.
            assertThat(outer).isPositive().isLessThanOrEqualTo(20_000_000L);
            assertThat(inner).isPositive().isLessThanOrEqualTo(outer);
            // Without a deadline, none is passed on.
            assertThat(connection.call(Deadlines.REMAINING_VIA, second)).containsExactly(-1L, -1L);
        }
    }

    @Test
    void whenTheOuterDeadlinePassesTheInnerCallIsCancelledToo() {
        try (Connection toFirst = Parallel.connect(first); Connection toSecond = Parallel.connect(second)) {
            // Time enough for the outer call to connect and make the inner one, even on a loaded machine.
            assertThatThrownBy(() -> toFirst.call(Deadlines.BLOCK_VIA, new Deadlines.Target(second, "nested"),
                    Duration.ofSeconds(2)))
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("function 'blockVia' on worker 'dl-first' exceeded its deadline of 2000 ms");
            // The inner call, in the other worker, knew the inherited deadline and was cancelled.
            awaitSeen(toSecond, "nested", "interrupted, cancelled=true, deadline=true");
        }
    }

    @Test
    void closingAPipeMidwayStopsItsProducer() throws Exception {
        try (Connection connection = Parallel.connect(first)) {
            try (RemoteStream<Long> numbers = connection.pipe(Deadlines.PRODUCE, "pipe-close")) {
                Iterator<Long> iterator = numbers.iterator();
                for (long i = 0; i < 100; i++) {
                    assertThat(iterator.next()).isEqualTo(i);
                }
            }
            await().atMost(WAIT).until(() -> connection.call(Deadlines.SEEN, "pipe-close"),
                    seen -> seen.startsWith("produced ") && seen.endsWith(", stopped: cancelled, context cancelled=true"));
            String stopped = connection.call(Deadlines.SEEN, "pipe-close");
            // It stopped for good: nothing more is produced.
            await().during(Duration.ofMillis(300)).atMost(WAIT)
                    .until(() -> connection.call(Deadlines.SEEN, "pipe-close"), stopped::equals);
        }
    }

    @Test
    void aPipePastItsDeadlineFailsAndStopsItsProducer() {
        try (Connection connection = Parallel.connect(second);
                RemoteStream<Long> numbers = connection.pipe(Deadlines.PRODUCE, "pipe-deadline",
                        CallOptions.timeout(Duration.ofMillis(500)))) {
            Iterator<Long> iterator = numbers.iterator();
            // The consumer takes until the deadline passes: the stream then fails.
            assertThatThrownBy(() -> {
                while (iterator.hasNext()) {
                    iterator.next();
                }
            }).isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("Call of pipe 'produce' on worker 'dl-second' exceeded its deadline of 500 ms;"
                            + " the worker was told to cancel it");
            await().atMost(WAIT).until(() -> connection.call(Deadlines.SEEN, "pipe-deadline"),
                    seen -> seen.endsWith(", stopped: cancelled, context cancelled=true"));
        }
    }

    @Test
    void aDirectPipePastItsDeadlineIsClosedWithTheErrorAndInTheWorker() throws Exception {
        try (Connection connection = Parallel.connect(second)) {
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            connection.directPipe(Deadlines.TICKS, "direct-deadline", CallOptions.timeout(Duration.ofMillis(300)),
                    new DirectPipeCallback<Long>() {
                        @Override
                        public void onElement(Long tick) {
                            // the ticks are not the point: the close is
                        }

                        @Override
                        public void onClosed(Throwable error) {
                            closed.complete(error);
                        }
                    });
            assertThat(closed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessage("Call of direct pipe 'ticks' on worker 'dl-second' exceeded its deadline of 300 ms;"
                            + " the worker was told to cancel it");
            awaitSeen(connection, "direct-deadline", "ticks closed: writer closed=true, context cancelled=true");
        }
    }

    @Test
    void cancellingAReversePipeFailsTheUpdatesInTheWorker() {
        try (Connection connection = Parallel.connect(first);
                SubmissionPublisher<Long> updates = new SubmissionPublisher<>()) {
            CompletableFuture<Long> sum = connection.reversePipeAsync(Deadlines.COLLECT, "reverse-cancel", updates,
                    CallOptions.defaults());
            updates.submit(1L);
            updates.submit(2L);
            awaitSeen(connection, "reverse-cancel", "collected 2");

            assertThat(sum.cancel(true)).isTrue();

            assertThatThrownBy(() -> sum.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            awaitSeen(connection, "reverse-cancel",
                    "updates stopped after 2: java.util.concurrent.CancellationException, context cancelled=true");
        }
    }

    @Test
    void theSettingsDefaultCallTimeoutAppliesToCallsWithoutOne() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), DeadlineSettingsMaster.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("RPC_PARALLEL_SETTINGS", "defaultCallTimeout=1s");
        Process master = builder.start();
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(master.getInputStream()));
            assertThat(master.waitFor(60, TimeUnit.SECONDS)).as("the master ended").isTrue();
            List<String> lines = output.get(10, TimeUnit.SECONDS).lines().toList();
            assertThat(lines).contains(
                    "FAILED Call of function 'block' on worker 'dl-default' exceeded its deadline of 1000 ms"
                            + " (the default call timeout of the settings); the worker was told to cancel it",
                    "SEEN interrupted, cancelled=true, deadline=true",
                    "NO_TIMEOUT_REMAINING -1",
                    "WORKER_OUTER -1",
                    "WORKER_INNER_WITHIN_DEFAULT true",
                    "READY");
            long after = Long.parseLong(lines.stream().filter(line -> line.startsWith("AFTER_MS ")).findFirst()
                    .orElseThrow().substring("AFTER_MS ".length()));
            assertThat(after).isBetween(1_000L, 30_000L);
            assertThat(master.exitValue()).isZero();
        } finally {
            master.destroyForcibly();
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
