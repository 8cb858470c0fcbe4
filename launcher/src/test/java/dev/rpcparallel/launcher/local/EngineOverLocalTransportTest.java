package dev.rpcparallel.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.DeadlineExceededException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.runtime.ParallelRuntime;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RPC engine (handshake, multiplexing, chunking, streams and credit, cancellation and
 * deadlines, a wrong secret) over the in-JVM transport: a runtime told to use it
 * ({@code transport=local}) serves workers in this JVM and connects to them, without a socket.
 * Each runtime is a fresh one of the runtime service, so that nothing here touches the
 * process-wide {@code Parallel} runtime other tests use.
 */
class EngineOverLocalTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RpcSettings LOCAL = RpcSettings.defaults().withTransport("local");

    private static ParallelRuntime runtime;
    private static WorkerRef kinds;
    private static WorkerRef echo;

    @BeforeAll
    static void serve() {
        runtime = newRuntime();
        runtime.initMaster(LOCAL);
        kinds = runtime.serve(Kinds.TYPE, null);
        echo = runtime.serve(Echo.TYPE, "served:");
    }

    @AfterAll
    static void shutDown() {
        runtime.shutdownAll();
    }

    private static ParallelRuntime newRuntime() {
        return ServiceLoader.load(ParallelRuntime.class).findFirst()
                .orElseThrow(() -> new AssertionError("no runtime on the class path"));
    }

    @Test
    void handshakeAndCallsWithoutASocket() {
        assertThat(runtime.settings().transport()).isEqualTo("local");
        assertThat(kinds.address()).matches("local://listener-[0-9]+");
        try (Connection connection = runtime.connect(echo, "c")) {
            assertThat(connection.call(Echo.ECHO, "x")).isEqualTo("served:x");
            assertThat(connection.call(Echo.CONNECTION_LABEL, null)).isEqualTo("c");
        }
    }

    @Test
    void callsOnOneConnectionAreMultiplexed() throws Exception {
        try (Connection connection = runtime.connect(kinds, null)) {
            CompletableFuture<Long> slow = connection.callAsync(Kinds.SLEEP, 2_000L);
            // Answered while the slow call runs, on the same connection.
            for (int i = 0; i < 20; i++) {
                assertThat(connection.call(Kinds.PING, "p" + i)).isEqualTo("p" + i);
            }
            assertThat(slow).isNotDone();
            List<CompletableFuture<String>> pings = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                pings.add(connection.callAsync(Kinds.PING, "async" + i));
            }
            for (int i = 0; i < 500; i++) {
                assertThat(pings.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("async" + i);
            }
            assertThat(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2_000L);
        }
    }

    @Test
    void largeArgumentsAndResultsTravelInChunksBetweenOtherCalls() throws Exception {
        try (Connection connection = runtime.connect(echo, "c")) {
            byte[] large = new byte[9 * 1024 * 1024 + 7];
            try (Connection other = runtime.connect(kinds, null)) {
                CompletableFuture<Long> length = other.callAsync(Kinds.LENGTH, large);
                assertThat(other.call(Kinds.PING, "between")).isEqualTo("between");
                assertThat(length.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(large.length);
            }
            String text = "z".repeat(5 * 1024 * 1024 + 3);
            CompletableFuture<String> echoed = connection.callAsync(Echo.ECHO, text);
            assertThat(connection.call(Echo.INCREMENT, 1L)).isPositive();
            assertThat(echoed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("served:" + text);
        }
    }

    @Test
    void pipesDeliverEveryElementInOrderUnderCredit() {
        try (Connection connection = runtime.connect(kinds, null)) {
            List<Long> numbers = new ArrayList<>();
            try (RemoteStream<Long> pipe = connection.pipe(Kinds.NUMBERS, 100_000L)) {
                pipe.forEach(numbers::add);
            }
            assertThat(numbers).containsExactlyElementsOf(LongStream.range(0, 100_000).boxed().toList());
            try (var texts = connection.pipe(Kinds.TEXTS, 20_000L).stream()) {
                assertThat(texts.filter(text -> text.length() == 100).count()).isEqualTo(20_000);
            }
        }
    }

    @Test
    void aReversePipeSenderStaysWithinItsCreditWindow() {
        try (Connection connection = runtime.connect(kinds, null)) {
            AtomicLong pulled = new AtomicLong();
            Iterator<Long> endless = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Long next() {
                    return pulled.incrementAndGet();
                }
            };
            assertThat(connection.reversePipe(Kinds.SUM, "first", endless)).isEqualTo("first: 1");
            assertThat(pulled.get()).as("updates taken: at most a window ahead of the worker")
                    .isLessThanOrEqualTo(RemoteStream.WINDOW + 1L);
            Iterator<Long> updates = LongStream.rangeClosed(1, 10_000).boxed().iterator();
            assertThat(connection.reversePipe(Kinds.SUM, "sum", updates)).isEqualTo("sum: 50005000");
        }
    }

    @Test
    void closingAPipeCancelsTheProducer() {
        try (Connection connection = runtime.connect(kinds, null)) {
            RemoteStream<Long> pipe = connection.pipe(Kinds.ENDLESS, null);
            Iterator<Long> elements = pipe.iterator();
            for (long i = 0; i < 1000; i++) {
                assertThat(elements.next()).isEqualTo(i);
            }
            pipe.close();
            assertThat(elements.hasNext()).isFalse();
            await().atMost(WAIT).until(() -> connection.call(Kinds.ENDLESS_CANCELLED, null));
            assertThat(connection.call(Kinds.PING, "still open")).isEqualTo("still open");
        }
    }

    @Test
    void aCallPastItsDeadlineFailsAndTheConnectionGoesOn() {
        try (Connection connection = runtime.connect(kinds, null)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> connection.callAsync(Kinds.SLEEP, 60_000L,
                    CallOptions.timeout(Duration.ofMillis(300))).join())
                    .hasCauseInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("exceeded its deadline of 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        }
    }

    @Test
    void aRuntimeWithAnotherSecretIsRefused() {
        ParallelRuntime stranger = newRuntime();
        try {
            stranger.initMaster(LOCAL);
            assertThatThrownBy(() -> stranger.connect(echo, "c"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining(echo.address())
                    .hasMessageContaining("does not know the application's secret");
        } finally {
            stranger.shutdownAll();
        }
        // The worker serves the others as before.
        try (Connection connection = runtime.connect(echo, "c")) {
            assertThat(connection.call(Echo.ECHO, "y")).isEqualTo("served:y");
        }
    }

    @Test
    void anAccessWithAWrongKeyIsRefused() {
        WorkerAccess wrong = WorkerAccess.of(kinds, new byte[32]);
        assertThatThrownBy(() -> runtime.connect(wrong, null))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("does not know the key of worker");
    }
}
