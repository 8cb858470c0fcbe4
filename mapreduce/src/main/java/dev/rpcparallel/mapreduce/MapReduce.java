package dev.rpcparallel.mapreduce;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;

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
    private final JobSettings<I, O> settings;
    private final JobPool pool;

    private MapReduce(Builder<?, ?, I, O> builder) {
        this.pool = builder.poolSpec != null ? JobPool.startedFrom(builder.poolSpec) : JobPool.given(builder.givenPool);
        this.settings = new JobSettings<>(pool.typeName() + "." + builder.function.name(), builder.function,
                builder.batch, builder.retry, builder.maxAttempts, builder.onProgress);
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
        ResultSink.InInputOrder<O> results = new ResultSink.InInputOrder<>();
        MapReduceJob.run(settings, pool, inputs, results);
        return results.results();
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
        MapReduceJob.run(settings, pool, inputs, (index, value) -> {
            consumer.accept(index, value);
            return false;
        });
    }

    /**
     * Combines the results as they arrive, in any order: {@code combine} must be associative and
     * commutative. Empty if there are no inputs.
     */
    public Optional<O> mapReduceCommutative(Iterable<? extends I> inputs, BinaryOperator<O> combine) {
        ResultSink.Commutative<O> reduction = new ResultSink.Commutative<>(requireNonNull(combine, "combine"));
        MapReduceJob.run(settings, pool, inputs, reduction);
        return reduction.result();
    }

    /**
     * Combines the results of adjacent inputs, left before right, as soon as both are there:
     * {@code combine} must be associative but need not be commutative, so the result is
     * {@code r0 ⊕ r1 ⊕ ... ⊕ rn} for the results in input order. Results wait only until their
     * neighbours arrive, not for all the others. Empty if there are no inputs.
     */
    public Optional<O> mapReduce(Iterable<? extends I> inputs, BinaryOperator<O> combine) {
        ResultSink.AdjacentRuns<O> reduction = new ResultSink.AdjacentRuns<>(requireNonNull(combine, "combine"));
        MapReduceJob.run(settings, pool, inputs, reduction);
        return reduction.result();
    }

    /**
     * The first result to arrive that {@code isHit} accepts, or empty if none does. "First" is in
     * time, not in input order: with several hits, any of them may be returned. On a hit no more
     * inputs are read or sent, the results of inputs still in flight are ignored, and the workers
     * are shut down.
     */
    public Optional<O> findMap(Iterable<? extends I> inputs, Predicate<? super O> isHit) {
        ResultSink.FirstHit<O> search = new ResultSink.FirstHit<>(requireNonNull(isHit, "isHit"));
        MapReduceJob.run(settings, pool, inputs, search);
        return search.result();
    }

    @Override
    public String toString() {
        return "MapReduce[" + settings.jobName() + ", " + pool + ", " + settings.scheduling() + "]";
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
