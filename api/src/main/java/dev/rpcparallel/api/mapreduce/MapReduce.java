package dev.rpcparallel.api.mapreduce;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Map-reduce over a pool of worker processes, after {@code rpc_parallel}'s {@code Map_reduce}: a
 * worker type, one of its {@link RpcFunction}s as the map function, and a pool configuration.
 * Every operation spawns the pool (unless there are no inputs), feeds it the inputs and shuts
 * every worker down before it returns or throws.
 *
 * <pre>{@code
 * MapReduce<String, Map<String, Long>> counting = MapReduce.builder(WordCount.TYPE, WordCount.COUNT)
 *         .workers(4)                              // default: the number of processors
 *         .onProgress(p -> System.err.println(p.done() + " files"))
 *         .build();
 * Optional<Map<String, Long>> total = counting.mapReduceCommutative(files, WordCount::merge);
 * }</pre>
 *
 * <p><b>Scheduling.</b> Workers pull: each worker has at most {@link Builder#batch batch} inputs
 * in flight (1 by default) and gets the next input as soon as a result comes back, so fast
 * workers do more and none waits while inputs are left. Inputs are read lazily from the
 * iterable, in the caller's thread, only when a worker is free; a {@link Collection}'s size is
 * reported as the {@link Progress#total total}.
 *
 * <p><b>Threads.</b> The operations block the calling thread, which also runs the combine
 * function, the result consumer and the progress callback, one at a time: they need no locking.
 * An exception they throw ends the job and is rethrown as it is.
 *
 * <p><b>Failures.</b> An exception thrown by the map function fails the job. A worker that dies
 * fails the job too, with the {@link ConnectionException} that names how it ended (such as
 * <i>killed by signal 9</i>) as the cause; with {@link Builder#retryOnWorkerFailure(boolean)}
 * its in-flight inputs go to the other workers instead, and the job fails only when no worker is
 * left. Failures surface as a {@link MapReduceException} naming the input and the worker.
 *
 * <p>A {@code MapReduce} is immutable and may run any number of operations, one after another or
 * at once, each with a pool of its own.
 *
 * @param <I> the map function's argument: one input
 * @param <O> the map function's result
 */
public final class MapReduce<I, O> {
    private static final Logger LOG = LogManager.getLogger(MapReduce.class);
    private static final int SPAWN_THREADS = 8;

    private final String jobName;
    private final RpcFunction<I, O> function;
    private final int workers;
    private final int batch;
    private final boolean retry;
    private final Consumer<? super Progress> onProgress;
    private final WorkerStarter starter;

    /** Starts worker {@code index} of the pool and connects to it; hides the worker type's init and connection types. */
    private interface WorkerStarter {
        Connection start(int index);
    }

    private MapReduce(Builder<?, ?, I, O> builder) {
        this.jobName = builder.type.name() + "." + builder.function.name();
        this.function = builder.function;
        this.workers = builder.workers;
        this.batch = builder.batch;
        this.retry = builder.retry;
        this.onProgress = builder.onProgress;
        this.starter = builder.starter();
    }

    /**
     * Starts the configuration of a job that maps inputs with {@code function}, a function of
     * worker type {@code type}.
     */
    public static <W, C, I, O> Builder<W, C, I, O> builder(WorkerType<W, C> type, RpcFunction<I, O> function) {
        return new Builder<>(type, function);
    }

    /** The results, in the order of the inputs. */
    public List<O> map(Iterable<? extends I> inputs) {
        List<O> results = new ArrayList<>();
        run(inputs, (index, value) -> {
            int position = Math.toIntExact(index);
            while (results.size() <= position) {
                results.add(null);
            }
            results.set(position, value);
            return false;
        });
        return results;
    }

    /** The results in the order they arrived, each with the index of its input. */
    public List<Indexed<O>> mapUnordered(Iterable<? extends I> inputs) {
        List<Indexed<O>> results = new ArrayList<>();
        mapUnordered(inputs, (index, value) -> results.add(new Indexed<>(index, value)));
        return results;
    }

    /**
     * Gives each result to {@code consumer} as it arrives, with the index of its input; returns
     * when every input has its result.
     */
    public void mapUnordered(Iterable<? extends I> inputs, BiConsumer<Long, ? super O> consumer) {
        requireNonNull(consumer, "consumer");
        run(inputs, (index, value) -> {
            consumer.accept(index, value);
            return false;
        });
    }

    /**
     * Combines the results as they arrive, in any order: {@code combine} must be associative and
     * commutative. Empty if there are no inputs.
     */
    public Optional<O> mapReduceCommutative(Iterable<? extends I> inputs, BinaryOperator<O> combine) {
        requireNonNull(combine, "combine");
        List<O> accumulator = new ArrayList<>(1);
        run(inputs, (index, value) -> {
            if (accumulator.isEmpty()) {
                accumulator.add(value);
            } else {
                accumulator.set(0, combine.apply(accumulator.get(0), value));
            }
            return false;
        });
        return accumulator.isEmpty() ? Optional.empty() : Optional.ofNullable(accumulator.get(0));
    }

    /**
     * Combines the results of adjacent inputs, left before right, as soon as both are there:
     * {@code combine} must be associative but need not be commutative, so the result is
     * {@code r0 ⊕ r1 ⊕ ... ⊕ rn} for the results in input order. Results wait only until their
     * neighbours arrive, not for all the others. Empty if there are no inputs.
     */
    public Optional<O> mapReduce(Iterable<? extends I> inputs, BinaryOperator<O> combine) {
        requireNonNull(combine, "combine");
        // Runs of adjacent results already combined, by first and by one-past-last index.
        Map<Long, Run<O>> byStart = new HashMap<>();
        Map<Long, Run<O>> byEnd = new HashMap<>();
        run(inputs, (index, value) -> {
            Run<O> run = new Run<>(index, index + 1, value);
            Run<O> left = byEnd.remove(index);
            if (left != null) {
                byStart.remove(left.start());
                run = new Run<>(left.start(), run.end(), combine.apply(left.value(), run.value()));
            }
            Run<O> right = byStart.remove(index + 1);
            if (right != null) {
                byEnd.remove(right.end());
                run = new Run<>(run.start(), right.end(), combine.apply(run.value(), right.value()));
            }
            byStart.put(run.start(), run);
            byEnd.put(run.end(), run);
            return false;
        });
        if (byStart.isEmpty()) {
            return Optional.empty();
        }
        // Every input has its result, so the runs have merged into one starting at 0.
        return Optional.ofNullable(byStart.get(0L).value());
    }

    private record Run<O>(long start, long end, O value) {}

    /**
     * The first result to arrive that {@code isHit} accepts, or empty if none does. "First" is in
     * time, not in input order: with several hits, any of them may be returned. On a hit no more
     * inputs are read or sent, the results of inputs still in flight are ignored, and the workers
     * are shut down.
     */
    public Optional<O> findMap(Iterable<? extends I> inputs, Predicate<? super O> isHit) {
        requireNonNull(isHit, "isHit");
        List<O> found = new ArrayList<>(1);
        run(inputs, (index, value) -> {
            if (isHit.test(value)) {
                found.add(value);
                return true;
            }
            return false;
        });
        return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.get(0));
    }

    @Override
    public String toString() {
        return "MapReduce[" + jobName + ", " + workers + " workers, batch " + batch + (retry ? ", retry" : "") + "]";
    }

    /** Takes one result; returns true to stop the job. */
    private interface ResultSink<O> {
        boolean accept(long index, O value);
    }

    private void run(Iterable<? extends I> inputs, ResultSink<O> sink) {
        requireNonNull(inputs, "inputs");
        OptionalLong total = inputs instanceof Collection<?> collection
                ? OptionalLong.of(collection.size())
                : OptionalLong.empty();
        Iterator<? extends I> iterator = inputs.iterator();
        if (!iterator.hasNext()) {
            return; // no worker to start
        }
        List<Slot> pool = startPool();
        Throwable failure = null;
        try {
            new Job(pool, iterator, total, sink).run();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            stopPool(pool, failure);
        }
    }

    /** One worker of the pool, touched only by the job's thread. */
    private static final class Slot {
        final int index;
        final Connection connection;
        int inFlight;
        boolean alive = true;

        Slot(int index, Connection connection) {
            this.index = index;
            this.connection = connection;
        }

        String name() {
            return connection.worker().name();
        }
    }

    private record Pending<I>(long index, I input) {}

    private record Completion<I, O>(Slot slot, Pending<I> pending, O value, Throwable failure) {}

    /** One run of an operation: hands out inputs and takes results, in the caller's thread. */
    private final class Job {
        private final List<Slot> pool;
        private final Iterator<? extends I> inputs;
        private final OptionalLong total;
        private final ResultSink<O> sink;
        private final BlockingQueue<Completion<I, O>> completions = new LinkedBlockingQueue<>();
        private final ArrayDeque<Pending<I>> retries = new ArrayDeque<>();
        private final long start = System.nanoTime();
        private long nextIndex;
        private long done;
        private long retried;
        private int inFlight;

        Job(List<Slot> pool, Iterator<? extends I> inputs, OptionalLong total, ResultSink<O> sink) {
            this.pool = pool;
            this.inputs = inputs;
            this.total = total;
            this.sink = sink;
        }

        void run() {
            reportProgress();
            while (true) {
                dispatch();
                if (inFlight == 0) {
                    return;
                }
                Completion<I, O> completion = takeCompletion();
                inFlight--;
                completion.slot().inFlight--;
                if (completion.failure() == null) {
                    done++;
                    boolean stop = sink.accept(completion.pending().index(), completion.value());
                    reportProgress();
                    if (stop) {
                        return;
                    }
                } else {
                    failed(completion);
                }
            }
        }

        /** Gives every live worker inputs up to the batch size, one round at a time so they share evenly. */
        private void dispatch() {
            boolean sent = true;
            while (sent) {
                sent = false;
                for (Slot slot : pool) {
                    if (slot.alive && slot.inFlight < batch) {
                        Pending<I> next = next();
                        if (next == null) {
                            return;
                        }
                        send(slot, next);
                        sent = true;
                    }
                }
            }
        }

        private Pending<I> next() {
            Pending<I> retry = retries.poll();
            if (retry != null) {
                return retry;
            }
            if (!inputs.hasNext()) {
                return null;
            }
            return new Pending<>(nextIndex++, inputs.next());
        }

        private void send(Slot slot, Pending<I> pending) {
            CompletableFuture<O> call;
            try {
                call = slot.connection.callAsync(function, pending.input());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            slot.inFlight++;
            inFlight++;
            call.whenComplete((value, failure) -> completions.add(new Completion<>(slot, pending, value, failure)));
        }

        private Completion<I, O> takeCompletion() {
            try {
                return completions.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MapReduceException("map-reduce " + jobName + " interrupted", -1, e);
            }
        }

        private void failed(Completion<I, O> completion) {
            Throwable cause = unwrap(completion.failure());
            Slot slot = completion.slot();
            long index = completion.pending().index();
            if (!(retry && cause instanceof ConnectionException)) {
                throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index
                        + " (worker '" + slot.name() + "'): " + firstLine(cause), index, cause);
            }
            if (slot.alive) {
                slot.alive = false;
                LOG.warn("map-reduce {}: worker '{}' lost, its inputs go to the others: {}",
                        jobName, slot.name(), firstLine(cause));
            }
            retries.add(completion.pending());
            retried++;
            if (pool.stream().noneMatch(s -> s.alive)) {
                throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index
                        + ": every worker of the pool died, the last ('" + slot.name() + "'): "
                        + firstLine(cause), index, cause);
            }
        }

        private void reportProgress() {
            if (onProgress != null) {
                int alive = (int) pool.stream().filter(s -> s.alive).count();
                onProgress.accept(new Progress(done, total, alive, retried, Duration.ofNanos(System.nanoTime() - start)));
            }
        }
    }

    /** Spawns the workers, several at a time, and connects; if any fails, stops the others and throws. */
    private List<Slot> startPool() {
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(workers, SPAWN_THREADS), runnable -> {
            Thread thread = new Thread(runnable, "map-reduce-spawn");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Connection>> starting = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                int index = i;
                starting.add(threads.submit(() -> starter.start(index)));
            }
            List<Slot> started = new ArrayList<>();
            MapReduceException failure = null;
            for (int i = 0; i < starting.size(); i++) {
                try {
                    started.add(new Slot(i, starting.get(i).get()));
                } catch (ExecutionException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    Throwable cause = unwrap(e);
                    if (failure == null) {
                        failure = new MapReduceException("map-reduce " + jobName + ": could not start worker "
                                + i + " of " + workers + ": " + firstLine(cause), -1, cause);
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                stopPool(started, failure);
                throw failure;
            }
            return started;
        } finally {
            threads.shutdown();
        }
    }

    /** Shuts every worker down; a worker that cannot be reached is already gone. */
    private void stopPool(List<Slot> pool, Throwable jobFailure) {
        for (Slot slot : pool) {
            try {
                if (slot.alive && slot.connection.isOpen()) {
                    slot.connection.shutdownWorker();
                }
            } catch (ConnectionException e) {
                LOG.debug("map-reduce {}: worker '{}' already gone: {}", jobName, slot.name(), firstLine(e));
            } catch (RuntimeException e) {
                if (jobFailure != null) {
                    jobFailure.addSuppressed(e);
                } else {
                    LOG.warn("map-reduce {}: could not shut down worker '{}'", jobName, slot.name(), e);
                }
            } finally {
                slot.connection.close();
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? t.getClass().getName() : line;
    }

    /**
     * The configuration of a {@link MapReduce}: the pool (size, each worker's init argument and
     * spawn options by index), the batch size, retries and the progress callback.
     *
     * @param <W> the worker type's init argument
     * @param <C> the worker type's connection argument
     */
    public static final class Builder<W, C, I, O> {
        private final WorkerType<W, C> type;
        private final RpcFunction<I, O> function;
        private int workers = Runtime.getRuntime().availableProcessors();
        private IntFunction<? extends W> initArg = index -> null;
        private C connectionArg;
        private IntFunction<SpawnOptions> spawnOptions = index -> SpawnOptions.defaults();
        private int batch = 1;
        private boolean retry;
        private Consumer<? super Progress> onProgress;

        private Builder(WorkerType<W, C> type, RpcFunction<I, O> function) {
            this.type = requireNonNull(type, "type");
            this.function = requireNonNull(function, "function");
        }

        /** The number of workers to spawn, at least 1; by default the number of processors. */
        public Builder<W, C, I, O> workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** The init argument of every worker (by default {@code null}). */
        public Builder<W, C, I, O> initArg(W initArg) {
            return initArg(index -> initArg);
        }

        /** The init argument of worker {@code index}, 0 to {@code workers - 1}. */
        public Builder<W, C, I, O> initArg(IntFunction<? extends W> initArgByIndex) {
            this.initArg = requireNonNull(initArgByIndex, "initArgByIndex");
            return this;
        }

        /** The connection argument the master connects to every worker with (by default {@code null}). */
        public Builder<W, C, I, O> connectionArg(C connectionArg) {
            this.connectionArg = connectionArg;
            return this;
        }

        /**
         * The spawn options of worker {@code index}, 0 to {@code workers - 1}: its redirects,
         * JVM options, environment and so on. A worker without a name is named
         * {@code TYPE-INDEX}, such as {@code wordcount-0}.
         */
        public Builder<W, C, I, O> spawnOptions(IntFunction<SpawnOptions> spawnOptionsByIndex) {
            this.spawnOptions = requireNonNull(spawnOptionsByIndex, "spawnOptionsByIndex");
            return this;
        }

        /**
         * How many inputs each worker has in flight at most (by default 1): more hides the
         * round trip for small inputs, fewer balances the load better for uneven ones.
         */
        public Builder<W, C, I, O> batch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be at least 1, not " + batch);
            }
            this.batch = batch;
            return this;
        }

        /**
         * Whether the inputs of a worker that dies go to the other workers (by default not: the
         * job fails). Only a lost worker is retried; an exception thrown by the map function
         * always fails the job.
         */
        public Builder<W, C, I, O> retryOnWorkerFailure(boolean retry) {
            this.retry = retry;
            return this;
        }

        /** Called in the job's thread once at the start and after every result; see {@link Progress}. */
        public Builder<W, C, I, O> onProgress(Consumer<? super Progress> onProgress) {
            this.onProgress = requireNonNull(onProgress, "onProgress");
            return this;
        }

        public MapReduce<I, O> build() {
            return new MapReduce<>(this);
        }

        private WorkerStarter starter() {
            WorkerType<W, C> type = this.type;
            IntFunction<? extends W> initArg = this.initArg;
            IntFunction<SpawnOptions> spawnOptions = this.spawnOptions;
            C connectionArg = this.connectionArg;
            return index -> {
                SpawnOptions options = requireNonNull(spawnOptions.apply(index), "spawn options of worker " + index);
                if (options.name().isEmpty()) {
                    options = options.toBuilder().name(type.name() + "-" + index).build();
                }
                WorkerRef worker = Parallel.spawn(type, initArg.apply(index), options);
                try {
                    return Parallel.connect(worker, type, connectionArg);
                } catch (RuntimeException e) {
                    try {
                        Parallel.shutdown(worker);
                    } catch (RuntimeException shutdownFailure) {
                        e.addSuppressed(shutdownFailure);
                    }
                    throw e;
                }
            };
        }
    }
}
