package dev.rpcparallel.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.mapreduce.testworkers.Mapper;
import dev.rpcparallel.mapreduce.testworkers.Mapper.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Map-reduce on real worker JVMs, each operation checked against the same computation done
 * sequentially in this JVM on the same input. The inputs take uneven times, so results arrive
 * out of order.
 */
class MapReduceIT {

    @AfterEach
    void noWorkerLeft() {
        await().atMost(Duration.ofSeconds(20)).until(() -> WorkerProcesses.childrenOfThisJvm().isEmpty());
    }

    /** Inputs 0..n-1 whose work takes 0 to 9 ms, in an uneven pattern. */
    private static List<Item> items(int n) {
        return LongStream.range(0, n).mapToObj(i -> new Item(i, (i * 7) % 10)).toList();
    }

    private static <I, O> MapReduce.Builder<String, Void, I, O> job(
            dev.rpcparallel.api.RpcFunction<I, O> function, int workers) {
        return MapReduce.builder(Mapper.TYPE, function).workers(workers).initArg("worker");
    }

    @Test
    void mapReturnsTheResultsInInputOrder() {
        List<Item> inputs = items(200);
        List<Long> expected = inputs.stream().map(item -> item.value() * item.value()).toList();

        List<Long> results = job(Mapper.SQUARE, 3).batch(2).build().map(inputs);

        assertThat(results).isEqualTo(expected);
    }

    @Test
    void mapUnorderedGivesEveryResultWithItsIndexAndReportsProgress() {
        List<Item> inputs = items(100);
        List<Progress> progress = new ArrayList<>();

        List<Indexed<Long>> results = job(Mapper.SQUARE, 2).onProgress(progress::add).build().mapUnordered(inputs);

        assertThat(results).hasSize(100);
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isEqualTo(result.index() * result.index()));
        assertThat(results.stream().map(Indexed::index).collect(Collectors.toSet()))
                .isEqualTo(LongStream.range(0, 100).boxed().collect(Collectors.toSet()));
        assertThat(progress).hasSize(101);
        assertThat(progress.get(0).done()).isZero();
        Progress last = progress.get(progress.size() - 1);
        assertThat(last.done()).isEqualTo(100);
        assertThat(last.total()).hasValue(100);
        assertThat(last.workers()).isEqualTo(2);
        assertThat(last.retried()).isZero();
    }

    @Test
    void mapReduceCommutativeSumsLikeASequentialSum() {
        List<Item> inputs = items(150);
        long expected = inputs.stream().mapToLong(item -> item.value() * item.value()).sum();

        Optional<Long> sum = job(Mapper.SQUARE, 2).batch(3).build().mapReduceCommutative(inputs, Long::sum);

        assertThat(sum).hasValue(expected);
    }

    @Test
    void mapReduceCombinesAdjacentResultsInOrder() {
        List<Item> inputs = items(150);
        String expected = inputs.stream().map(item -> item.value() + ",").collect(Collectors.joining());

        // Concatenation is associative but not commutative: any reordering shows.
        Optional<String> text = job(Mapper.TEXT, 3).batch(2).build().mapReduce(inputs, String::concat);

        assertThat(text).hasValue(expected);
    }

    @Test
    void noInputsGiveNoResult() {
        MapReduce<Item, Long> squares = job(Mapper.SQUARE, 1).build();

        assertThat(squares.map(List.of())).isEmpty();
        assertThat(squares.mapReduce(List.of(), Long::sum)).isEmpty();
        assertThat(squares.mapReduceCommutative(List.of(), Long::sum)).isEmpty();
        assertThat(squares.findMap(List.of(), square -> true)).isEmpty();
    }

    @Test
    void findMapStopsAtTheFirstHitAndReadsNoFurtherInputs() {
        // 100,000 inputs of 20 ms each would take over 15 minutes on two workers.
        AtomicLong read = new AtomicLong();
        Iterable<Item> inputs = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.get() < 100_000;
            }

            @Override
            public Item next() {
                return new Item(read.getAndIncrement(), 20);
            }
        };
        long start = System.nanoTime();

        Optional<Long> hit = job(Mapper.SQUARE, 2).build().findMap(inputs, square -> square == 100);

        assertThat(hit).hasValue(100L);
        assertThat(read.get()).isBetween(11L, 20L);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        // The workers were shut down with inputs still in flight: @AfterEach checks they are gone.
    }

    @Test
    void findMapWithoutHitMapsEverything() {
        List<Item> inputs = items(30);
        assertThat(job(Mapper.SQUARE, 2).build().findMap(inputs, square -> square < 0)).isEmpty();
    }

    @Test
    void eachWorkerGetsItsInitArgumentAndSpawnOptionsByIndex() {
        List<Item> inputs = LongStream.range(0, 20).mapToObj(i -> new Item(i, 30)).toList();

        List<String> labels = job(Mapper.LABEL, 2)
                .initArg(index -> "label-" + index)
                .spawnOptions(index -> SpawnOptions.builder().name("mr-labels-" + index).build())
                .build()
                .map(inputs);

        // The init argument and the spawn options (the name) of one index went to the same worker.
        assertThat(new HashSet<>(labels)).containsExactlyInAnyOrder("label-0 in mr-labels-0", "label-1 in mr-labels-1");
    }

    @Test
    void jobsOnAGivenPoolLeaveItsWorkersRunningAndClosingThePoolShutsThemDown() {
        List<Item> inputs = LongStream.range(0, 20).mapToObj(i -> new Item(i, 30)).toList();
        long expected = inputs.stream().mapToLong(item -> item.value() * item.value()).sum();
        Set<Long> before;

        try (WorkerPool pool = WorkerPool.builder(Mapper.TYPE).workers(2).initArg(index -> "pooled-" + index)
                .spawnOptions(index -> SpawnOptions.builder().name("mr-pool-" + index).build())
                .start()) {
            before = pids(WorkerProcesses.childrenOfThisJvm());
            assertThat(before).hasSize(2);

            List<String> labels = MapReduce.onPool(pool, Mapper.LABEL).build().map(inputs);
            Optional<Long> sum = MapReduce.onPool(pool, Mapper.SQUARE).batch(2).build().mapReduceCommutative(inputs, Long::sum);

            // Both jobs ran on the pool's two workers, which pulled inputs in turn and are still the same processes.
            assertThat(new HashSet<>(labels)).containsExactlyInAnyOrder("pooled-0 in mr-pool-0", "pooled-1 in mr-pool-1");
            assertThat(sum).hasValue(expected);
            assertThat(pids(WorkerProcesses.childrenOfThisJvm())).isEqualTo(before);
            assertThat(pool.connections()).allMatch(connection -> connection.isOpen());
            assertThatThrownBy(() -> MapReduce.onPool(pool, Mapper.SQUARE).workers(3))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a map-reduce on a given pool (WorkerPool[mapper, 2 workers]) runs on its workers: set"
                            + " workers on WorkerPool.builder, not here");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> pids(WorkerProcesses.childrenOfThisJvm()).stream().noneMatch(before::contains));
    }

    @Test
    void aWorkerThatCannotStartFailsTheJobNamingItAndTheOthersAreShutDown() {
        MapReduce<Item, Long> squares = job(Mapper.SQUARE, 2)
                .spawnOptions(index -> SpawnOptions.builder().name("mr-start-" + index)
                        .addJvmOptions(index == 1 ? new String[] {"-XX:+NoSuchOptionForThisTest"} : new String[0]).build())
                .build();

        assertThatThrownBy(() -> squares.map(items(4)))
                .isInstanceOf(MapReduceException.class)
                .hasMessageStartingWith("map-reduce mapper.square: worker pool mapper: could not start worker 1 of 2: ")
                .hasCauseInstanceOf(SpawnException.class)
                .satisfies(e -> assertThat(((MapReduceException) e).inputIndex()).isEqualTo(-1));
        // noWorkerLeft: worker 0, which did start, was shut down.
    }

    private static Set<Long> pids(List<ProcessHandle> processes) {
        return processes.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void anExceptionInTheFunctionFailsTheJobNamingTheInput() {
        List<Item> inputs = new ArrayList<>(items(10));
        inputs.set(4, new Item(-4, 0));

        assertThatThrownBy(() -> job(Mapper.SQUARE, 2).build().map(inputs))
                .isInstanceOf(MapReduceException.class)
                .hasMessageStartingWith("map-reduce mapper.square failed on input #4 (worker 'mapper-")
                .hasMessageContaining("negative input: -4")
                .hasCauseInstanceOf(RemoteException.class)
                .satisfies(e -> assertThat(((MapReduceException) e).inputIndex()).isEqualTo(4));
    }

    @Test
    void aWorkerKilledMidJobFailsTheJobWithHowItDied() {
        List<Item> inputs = LongStream.range(0, 200).mapToObj(i -> new Item(i, 50)).toList();
        MapReduce<Item, Long> squares = job(Mapper.SQUARE, 2)
                .spawnOptions(index -> SpawnOptions.builder().name("mr-fail-" + index).build())
                .onProgress(killWorkerAfter(5, "mr-fail-1"))
                .build();

        assertThatThrownBy(() -> squares.map(inputs))
                .isInstanceOf(MapReduceException.class)
                .hasMessageContaining("(worker 'mr-fail-1')")
                .hasMessageContaining("killed by signal 9 (SIGKILL)")
                .hasCauseInstanceOf(ConnectionException.class);
    }

    @Test
    void withRetriesTheInputsOfAKilledWorkerGoToTheOthersAndANewWorkerTakesItsPlace() {
        // Inputs keep coming until the replacement has joined, then 60 more for it to share, however
        // long the spawn takes on a loaded machine (at most 5,000 inputs: about 100 s on two workers).
        AtomicLong read = new AtomicLong();
        AtomicLong readWhenReplaced = new AtomicLong(-1);
        Iterable<Item> inputs = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                long at = readWhenReplaced.get();
                return at < 0 ? read.get() < 5_000 : read.get() < at + 60;
            }

            @Override
            public Item next() {
                return new Item(read.getAndIncrement(), 40);
            }
        };
        AtomicReference<Progress> last = new AtomicReference<>();
        Set<Long> killed = Collections.synchronizedSet(new HashSet<>());
        Set<Long> replacements = Collections.synchronizedSet(new HashSet<>());

        Optional<String> text = job(Mapper.TEXT, 3)
                .batch(2)
                .retryOnWorkerFailure(true)
                .spawnOptions(index -> SpawnOptions.builder().name("mr-retry-" + index).build())
                .onProgress(killWorkerAfter(5, "mr-retry-1", killed).andThen(progress -> {
                    last.set(progress);
                    if (progress.replaced() == 1 && readWhenReplaced.compareAndSet(-1, read.get())) {
                        // worker index 1 now runs in a new process, under the same name
                        replacements.add(WorkerProcesses.named("mr-retry-1").orElseThrow().pid());
                    }
                }))
                .build()
                .mapReduce(inputs, String::concat);

        long n = read.get();
        assertThat(n).as("inputs read: the replacement joined before the cap").isLessThan(5_000);
        String expected = LongStream.range(0, n).mapToObj(i -> i + ",").collect(Collectors.joining());
        assertThat(text).hasValue(expected);
        assertThat(killed).hasSize(1);
        assertThat(replacements).hasSize(1).doesNotContainAnyElementsOf(killed);
        assertThat(last.get().workers()).as("the pool is back to its size").isEqualTo(3);
        assertThat(last.get().replaced()).isEqualTo(1);
        assertThat(last.get().retried()).isBetween(1L, 2L);
        assertThat(last.get().done()).isEqualTo(n);
    }

    @Test
    void aPoisonousInputFailsTheJobAfterItsAttemptsNamingThemAndTheLastError() {
        // Input #3 makes whichever worker maps it kill itself with SIGKILL; the others are fine.
        List<Item> inputs = LongStream.range(0, 30).mapToObj(i -> new Item(i == 3 ? -1 : i, 20)).toList();
        List<Progress> progress = new ArrayList<>();

        assertThatThrownBy(() -> job(Mapper.SQUARE_OR_DIE, 2)
                        .retryOnWorkerFailure(true)
                        .spawnOptions(index -> SpawnOptions.builder().name("mr-poison-" + index).build())
                        .onProgress(progress::add)
                        .build()
                        .map(inputs))
                .isInstanceOf(MapReduceException.class)
                .hasMessageStartingWith("map-reduce mapper.squareOrDie failed on input #3 after 3 attempts, each ending"
                        + " with its worker lost (the limit, maxAttempts, is 3); the last, on worker 'mr-poison-")
                .hasMessageContaining("killed by signal 9 (SIGKILL)")
                .hasCauseInstanceOf(ConnectionException.class)
                .satisfies(e -> assertThat(((MapReduceException) e).inputIndex()).isEqualTo(3));
        assertThat(progress.get(progress.size() - 1).retried()).as("input #3 sent again twice").isGreaterThanOrEqualTo(2);
        // Every worker, replacements included, is gone: @AfterEach checks.
    }

    @Test
    void theAttemptLimitIsConfigurableAndCheckedWithAClearMessage() {
        List<Item> inputs = LongStream.range(0, 10).mapToObj(i -> new Item(i == 0 ? -1 : i, 0)).toList();

        assertThatThrownBy(() -> job(Mapper.SQUARE_OR_DIE, 1).retryOnWorkerFailure(true).maxAttempts(1).build().map(inputs))
                .isInstanceOf(MapReduceException.class)
                .hasMessageStartingWith("map-reduce mapper.squareOrDie failed on input #0 after 1 attempt, each ending"
                        + " with its worker lost (the limit, maxAttempts, is 1); the last, on worker 'mapper-0'")
                .hasMessageContaining("killed by signal 9 (SIGKILL)");
        assertThatThrownBy(() -> job(Mapper.SQUARE, 1).maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1, not 0");
    }

    /** A progress callback that kills the named worker with SIGKILL once {@code done} results are in. */
    private static java.util.function.Consumer<Progress> killWorkerAfter(long done, String name) {
        return killWorkerAfter(done, name, new HashSet<>());
    }

    /** As {@link #killWorkerAfter(long, String)}, adding the killed process's PID to {@code killed}. */
    private static java.util.function.Consumer<Progress> killWorkerAfter(long done, String name, Set<Long> killed) {
        return progress -> {
            if (progress.done() >= done && killed.isEmpty()) {
                ProcessHandle worker = WorkerProcesses.named(name).orElseThrow();
                killed.add(worker.pid());
                worker.destroyForcibly();
                worker.onExit().join();
            }
        };
    }
}
