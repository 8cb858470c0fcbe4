package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.DirectPipeId;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Deadlines;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blocking calls made on a connection's own reading thread, where futures complete and
 * direct-pipe callbacks run: each completes (reading is handed over to another thread) instead
 * of waiting forever for an answer only that thread could read. Every wait here is bounded.
 */
class ReentrantCallsIT {
    private static WorkerRef worker;

    @BeforeAll
    static void spawnWorker() {
        worker = Parallel.spawn(Deadlines.TYPE, null, SpawnOptions.builder().name("reentrant").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdown(worker);
    }

    @Test
    void aBlockingCallInADependentStageCompletes() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            CompletableFuture<String> chained = connection.callAsync(Deadlines.PING, "a")
                    .thenApply(first -> first + connection.call(Deadlines.PING, "b"))
                    .thenApply(both -> both + connection.call(Deadlines.PING, "c"));
            assertThat(chained.get(30, TimeUnit.SECONDS)).isEqualTo("abc");
            // Again, on the thread that reads now, and with join() of another call's future.
            CompletableFuture<String> joined = connection.callAsync(Deadlines.PING, "x")
                    .thenApply(first -> first + connection.callAsync(Deadlines.PING, "y").join());
            assertThat(joined.get(30, TimeUnit.SECONDS)).isEqualTo("xy");
            assertThat(connection.call(Deadlines.PING, "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    void manyConcurrentChainsOfBlockingCallsAllComplete() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            List<CompletableFuture<String>> chains = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = Integer.toString(i);
                chains.add(connection.callAsync(Deadlines.PING, id)
                        .thenApply(first -> connection.call(Deadlines.PING, first + "-again")));
            }
            CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                assertThat(chains.get(i).get()).isEqualTo(i + "-again");
            }
        }
    }

    @Test
    void aDirectPipeCallbackThatCallsCompletesAndKeepsItsOrder() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            List<String> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            connection.directPipe(Deadlines.PUSH, 20L, new DirectPipeCallback<Long>() {
                @Override
                public void onElement(Long element) {
                    // A blocking call on the reading thread, for every element.
                    received.add(connection.call(Deadlines.PING, "element " + element));
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            assertThat(closed.get(60, TimeUnit.SECONDS)).isNull();
            assertThat(received).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 20).mapToObj(i -> "element " + i).toList());
        }
    }

    @Test
    void aCallbackThatAbortsItsPipeAfterABlockingCallGetsNoElementAfterIt() throws Exception {
        try (Connection connection = Parallel.connect(worker)) {
            CompletableFuture<DirectPipeId> id = new CompletableFuture<>();
            List<Long> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            id.complete(connection.directPipe(Deadlines.PUSH, 10_000L, new DirectPipeCallback<Long>() {
                @Override
                public void onElement(Long element) {
                    received.add(element);
                    if (element == 0) {
                        // Elements arrive meanwhile, read by another thread, and wait for this callback.
                        connection.call(Deadlines.PING, "hand off");
                        connection.abort(id.join());
                    }
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            }));
            assertThat(closed.get(60, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class)
                    .hasMessage("direct pipe 'push' of worker 'reentrant' was aborted by the caller");
            assertThat(received).containsExactly(0L);
        }
    }
}
