package dev.rpcparallel.mapreduce;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.SpawnOptions;
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
 * every worker down before it returns or throws; or, built with {@link #onPool}, runs on a
 * {@link WorkerPool} the caller started and leaves its workers running.
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
 * <i>killed by signal 9</i>) as the cause. With {@link Builder#retryOnWorkerFailure(boolean)}
 * its in-flight inputs go to the other workers instead, and a new worker with the same index (the
 * same init argument and spawn options) is started in the background to take its place, so the
 * pool keeps its size. An input is sent at most {@link Builder#maxAttempts maxAttempts} times (3 by
 * default): an input whose every attempt loses its worker (one that crashes the worker, say) fails
 * the job, naming the input, the attempts and the last error. Failures surface as a
 * {@link MapReduceException} naming the input and the worker.
 *
 * <p>A {@code MapReduce} is immutable and may run any number of operations, one after another or
 * at once, each with a pool of its own.
 *
 * @param <I> the map function's argument: one input
 * @param <O> the map function's result
 */
public final class MapReduce<I, O> {
    private static final Logger LOG = LogManager.getLogger(MapReduce.class);

    private final String jobName;
    private final RpcFunction<I, O> function;
    /** The pool every operation starts and closes, or null for {@link #givenPool}. */
    private final WorkerPool.Builder<?, ?> poolSpec;
    /** The caller's pool, which operations run on and leave open, or null for {@link #poolSpec}. */
    private final WorkerPool givenPool;
    private final int batch;
    private final boolean retry;
    private final int maxAttempts;
    private final Consumer<? super Progress> onProgress;

    private MapReduce(Builder<?, ?, I, O> builder) {
        this.poolSpec = builder.poolSpec;
        this.givenPool = builder.givenPool;
        String typeName = poolSpec != null ? poolSpec.typeName() : givenPool.typeName();
        this.jobName = typeName + "." + builder.function.name();
        this.function = builder.function;
        this.batch = builder.batch;
        this.retry = builder.retry;
        this.maxAttempts = builder.maxAttempts;
        this.onProgress = builder.onProgress;
    }

    /**
     * Starts the configuration of a job that maps inputs with {@code function}, a function of
     * worker type {@code type}.
     */
    public static <W, C, I, O> Builder<W, C, I, O> builder(WorkerType<W, C> type, RpcFunction<I, O> function) {
        return new Builder<>(WorkerPool.builder(requireNonNull(type, "type")), null, function);
    }

    /**
     * Starts the configuration of a job that maps inputs with {@code function} on the workers of
     * {@code pool}, which the caller started and closes: the operations neither spawn nor shut
     * down workers (with {@link Builder#retryOnWorkerFailure retries}, a lost worker's
     * replacement takes its place in the pool). The builder's pool settings ({@code workers},
     * {@code initArg}, {@code connectionArg}, {@code spawnOptions}) are the pool's, set on
     * {@link WorkerPool#builder}; setting them here throws {@link IllegalStateException}.
     */
    public static <I, O> Builder<?, ?, I, O> onPool(WorkerPool pool, RpcFunction<I, O> function) {
        return new Builder<Object, Object, I, O>(null, requireNonNull(pool, "pool"), function);
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
        int workers = poolSpec != null ? poolSpec.size() : givenPool.size();
        return "MapReduce[" + jobName + ", " + workers + " workers" + (givenPool != null ? " (given)" : "") + ", batch " + batch + (retry ? ", retry, at most " + maxAttempts + " attempts" : "") + "]";
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
        WorkerPool pool = givenPool != null ? givenPool : startPool();
        Job job = new Job(pool, iterator, total, sink);
        Throwable failure = null;
        try {
            job.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            // Replacements still starting join the pool, so they are shut down with it.
            job.awaitReplacements(failure);
            if (givenPool == null) {
                stopPool(pool, failure);
            }
        }
    }

    /** One worker of the pool, touched only by the job's thread. A replacement is a new slot with the same index. */
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

    /** An input, with the number of times it has been sent to a worker. */
    private record Pending<I>(long index, I input, int attempts) {}

    /** What the job's thread waits for: a call's result or a replacement worker's start. */
    private sealed interface Event permits Completion, Replacement {}

    private record Completion<I, O>(Slot slot, Pending<I> pending, O value, Throwable failure) implements Event {}

    private record Replacement(int index, Connection connection, Throwable failure) implements Event {}

    /** One run of an operation: hands out inputs and takes results, in the caller's thread. */
    private final class Job {
        private final WorkerPool workers;
        private final List<Slot> pool = new ArrayList<>();
        private final Iterator<? extends I> inputs;
        private final OptionalLong total;
        private final ResultSink<O> sink;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final ArrayDeque<Pending<I>> retries = new ArrayDeque<>();
        private final long start = System.nanoTime();
        private long nextIndex;
        private long done;
        private long retried;
        private int replaced;
        private int inFlight;
        private int replacing;

        Job(WorkerPool workers, Iterator<? extends I> inputs, OptionalLong total, ResultSink<O> sink) {
            this.workers = workers;
            List<Connection> connections = workers.connections();
            for (int i = 0; i < connections.size(); i++) {
                pool.add(new Slot(i, connections.get(i)));
            }
            this.inputs = inputs;
            this.total = total;
            this.sink = sink;
        }

        void run() {
            reportProgress();
            while (true) {
                dispatch();
                if (inFlight == 0 && retries.isEmpty() && !inputs.hasNext()) {
                    return;
                }
                Event event = takeEvent();
                if (event instanceof Replacement replacement) {
                    replaced(replacement);
                    continue;
                }
                @SuppressWarnings("unchecked")
                Completion<I, O> completion = (Completion<I, O>) event;
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
            return new Pending<>(nextIndex++, inputs.next(), 0);
        }

        private void send(Slot slot, Pending<I> pending) {
            Pending<I> attempt = new Pending<>(pending.index(), pending.input(), pending.attempts() + 1);
            CompletableFuture<O> call;
            try {
                call = slot.connection.callAsync(function, attempt.input());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            slot.inFlight++;
            inFlight++;
            call.whenComplete((value, failure) -> events.add(new Completion<>(slot, attempt, value, failure)));
        }

        private Event takeEvent() {
            try {
                return events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MapReduceException("map-reduce " + jobName + " interrupted", -1, e);
            }
        }

        private void failed(Completion<I, O> completion) {
            Throwable cause = unwrap(completion.failure());
            Slot slot = completion.slot();
            Pending<I> pending = completion.pending();
            long index = pending.index();
            if (!(retry && cause instanceof ConnectionException)) {
                throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index
                        + " (worker '" + slot.name() + "'): " + firstLine(cause), index, cause);
            }
            if (slot.alive) {
                slot.alive = false;
                slot.connection.close();
                LOG.warn("map-reduce {}: worker '{}' lost, its inputs go to the others and a new worker {} starts: {}",
                        jobName, slot.name(), slot.index, firstLine(cause));
                replace(slot.index);
            }
            if (pending.attempts() >= maxAttempts) {
                throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index + " after "
                        + pending.attempts() + (pending.attempts() == 1 ? " attempt" : " attempts")
                        + ", each ending with its worker lost (the limit, maxAttempts, is " + maxAttempts
                        + "); the last, on worker '" + slot.name() + "': " + firstLine(cause), index, cause);
            }
            retries.add(pending);
            retried++;
            reportProgress();
            if (replacing == 0 && pool.stream().noneMatch(s -> s.alive)) {
                throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index
                        + ": every worker of the pool died and none could be replaced, the last ('" + slot.name()
                        + "'): " + firstLine(cause), index, cause);
            }
        }

        /** Starts a worker with the same index (init argument, spawn options) in the background. */
        private void replace(int index) {
            replacing++;
            Thread thread = new Thread(() -> {
                try {
                    events.add(new Replacement(index, workers.startWorker(index), null));
                } catch (RuntimeException | Error e) {
                    events.add(new Replacement(index, null, e));
                }
            }, "map-reduce-replace-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        private void replaced(Replacement replacement) {
            replacing--;
            if (replacement.failure() != null) {
                LOG.warn("map-reduce {}: could not replace worker {}: {}",
                        jobName, replacement.index(), firstLine(replacement.failure()));
                if (pool.stream().noneMatch(s -> s.alive) && replacing == 0) {
                    Throwable cause = replacement.failure();
                    throw new MapReduceException("map-reduce " + jobName + ": every worker of the pool died and worker "
                            + replacement.index() + " could not be replaced: " + firstLine(cause), -1, cause);
                }
                return;
            }
            workers.replace(replacement.index(), replacement.connection());
            pool.set(replacement.index(), new Slot(replacement.index(), replacement.connection()));
            replaced++;
            reportProgress();
        }

        /**
         * Waits for the replacements still starting and adds them to the pool, so they are shut
         * down with it; a replacement that fails to start is noted on the job's failure, if any.
         */
        void awaitReplacements(Throwable jobFailure) {
            while (replacing > 0) {
                Event event;
                try {
                    event = events.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (event instanceof Replacement replacement) {
                    replacing--;
                    if (replacement.connection() != null) {
                        workers.replace(replacement.index(), replacement.connection());
                        pool.set(replacement.index(), new Slot(replacement.index(), replacement.connection()));
                    } else if (jobFailure != null) {
                        jobFailure.addSuppressed(replacement.failure());
                    }
                }
            }
        }

        private void reportProgress() {
            if (onProgress != null) {
                int alive = (int) pool.stream().filter(s -> s.alive).count();
                onProgress.accept(new Progress(done, total, alive, retried, replaced,
                        Duration.ofNanos(System.nanoTime() - start)));
            }
        }
    }

    /** Spawns the workers, several at a time, and connects; if any fails, stops the others and throws. */
    private WorkerPool startPool() {
        try {
            return poolSpec.start();
        } catch (WorkerPoolException e) {
            MapReduceException failure = new MapReduceException("map-reduce " + jobName + ": " + e.getMessage(), -1, e.getCause());
            for (Throwable suppressed : e.getSuppressed()) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    /** Shuts every worker down; a failure to is added to the job's, or logged if the job succeeded. */
    private void stopPool(WorkerPool pool, Throwable jobFailure) {
        try {
            pool.close();
        } catch (WorkerPoolException e) {
            if (jobFailure != null) {
                jobFailure.addSuppressed(e);
            } else {
                LOG.warn("map-reduce {}: {}", jobName, e.getMessage(), e);
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return Failures.unwrap(failure);
    }

    private static String firstLine(Throwable t) {
        return Failures.firstLine(t);
    }

    /**
     * The configuration of a {@link MapReduce}: the pool (size, each worker's init argument and
     * spawn options by index), the batch size, retries and the progress callback.
     *
     * @param <W> the worker type's init argument
     * @param <C> the worker type's connection argument
     */
    public static final class Builder<W, C, I, O> {
        private final WorkerPool.Builder<W, C> poolSpec;
        private final WorkerPool givenPool;
        private final RpcFunction<I, O> function;
        private int batch = 1;
        private boolean retry;
        private int maxAttempts = 3;
        private Consumer<? super Progress> onProgress;

        private Builder(WorkerPool.Builder<W, C> poolSpec, WorkerPool givenPool, RpcFunction<I, O> function) {
            this.poolSpec = poolSpec;
            this.givenPool = givenPool;
            this.function = requireNonNull(function, "function");
        }

        private WorkerPool.Builder<W, C> poolSpec(String setting) {
            if (poolSpec == null) {
                throw new IllegalStateException("a map-reduce on a given pool (" + givenPool + ") runs on its workers: set "
                        + setting + " on WorkerPool.builder, not here");
            }
            return poolSpec;
        }

        /** The number of workers to spawn, at least 1; by default the number of processors. */
        public Builder<W, C, I, O> workers(int workers) {
            poolSpec("workers").workers(workers);
            return this;
        }

        /** The init argument of every worker (by default {@code null}). */
        public Builder<W, C, I, O> initArg(W initArg) {
            return initArg(index -> initArg);
        }

        /** The init argument of worker {@code index}, 0 to {@code workers - 1}. */
        public Builder<W, C, I, O> initArg(IntFunction<? extends W> initArgByIndex) {
            poolSpec("initArg").initArg(initArgByIndex);
            return this;
        }

        /** The connection argument the master connects to every worker with (by default {@code null}). */
        public Builder<W, C, I, O> connectionArg(C connectionArg) {
            poolSpec("connectionArg").connectionArg(connectionArg);
            return this;
        }

        /**
         * The spawn options of worker {@code index}, 0 to {@code workers - 1}: its redirects,
         * JVM options, environment and so on. A worker without a name is named
         * {@code TYPE-INDEX}, such as {@code wordcount-0}.
         */
        public Builder<W, C, I, O> spawnOptions(IntFunction<SpawnOptions> spawnOptionsByIndex) {
            poolSpec("spawnOptions").spawnOptions(spawnOptionsByIndex);
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
         * Whether the inputs of a worker that dies go to the other workers, and a new worker with
         * the same index replaces it (by default not: the job fails). Only a lost worker is
         * retried; an exception thrown by the map function always fails the job.
         */
        public Builder<W, C, I, O> retryOnWorkerFailure(boolean retry) {
            this.retry = retry;
            return this;
        }

        /**
         * With retries on, how many times one input may be sent to a worker, at least 1 (by
         * default 3): when its last attempt loses its worker too, the job fails with a
         * {@link MapReduceException} naming the input, the attempts and the last error. It bounds
         * the workers a poisonous input can kill.
         */
        public Builder<W, C, I, O> maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
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
    }
}
