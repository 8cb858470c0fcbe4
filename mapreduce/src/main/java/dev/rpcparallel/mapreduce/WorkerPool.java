package dev.rpcparallel.mapreduce;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A fixed number of workers of one type, spawned together and connected, each known by its index
 * (0 to {@code size() - 1}), which picks its init argument and spawn options. Closing the pool
 * shuts every worker down.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder(Primes.TYPE).workers(4).start()) {
 *     long primes = MapReduce.onPool(pool, Primes.COUNT).build().mapReduceCommutative(chunks, Long::sum).orElse(0L);
 * }
 * }</pre>
 *
 * <p>A {@link MapReduce} built with {@link MapReduce#builder} starts a pool of its own for every
 * operation and closes it after; one built with {@link MapReduce#onPool} runs on a pool the
 * caller started, which stays open for the next operation (no spawn or JIT warm-up each time).
 *
 * <p><b>Threads.</b> The methods may be called from any thread. <b>Failures.</b> {@link
 * Builder#start} throws a {@link WorkerPoolException} if any worker cannot be started, after
 * shutting down the ones that did; {@link #close} tries every worker and then throws one for
 * the workers it could not shut down.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(WorkerPool.class);
    private static final int SPAWN_THREADS = 8;

    private final String typeName;
    private final IntFunction<Connection> starter;
    private final List<Connection> workers;

    private WorkerPool(String typeName, IntFunction<Connection> starter, List<Connection> workers) {
        this.typeName = typeName;
        this.starter = starter;
        this.workers = workers;
    }

    /** Starts the configuration of a pool of workers of type {@code type}. */
    public static <W, C> Builder<W, C> builder(WorkerType<W, C> type) {
        return new Builder<>(type);
    }

    /** The name of the pool's worker type. */
    public String typeName() {
        return typeName;
    }

    /** The number of workers. */
    public int size() {
        return workers.size();
    }

    /** The connections to the workers, by index; a replaced worker's slot holds its replacement. */
    public synchronized List<Connection> connections() {
        return List.copyOf(workers);
    }

    /**
     * Spawns and connects a new worker with the same index (init argument and spawn options) as
     * worker {@code index}, without adding it to the pool: see {@link #replace}. Blocks until it
     * is connected.
     */
    Connection startWorker(int index) {
        return starter.apply(index);
    }

    /** Puts {@code replacement} in slot {@code index}, closing the connection it held; the pool then shuts it down on close. */
    synchronized void replace(int index, Connection replacement) {
        Connection old = workers.set(index, requireNonNull(replacement, "replacement"));
        old.close();
    }

    /**
     * Shuts every worker down and closes its connection; a worker that cannot be reached (its
     * connection already closed or lost) is already gone.
     *
     * @throws WorkerPoolException for the workers that could not be shut down, after trying all
     */
    @Override
    public void close() {
        WorkerPoolException failure = null;
        for (Connection connection : connections()) {
            try {
                if (connection.isOpen()) {
                    connection.shutdownWorker();
                }
            } catch (ConnectionException e) {
                LOG.debug("worker pool {}: worker '{}' already gone: {}", typeName, connection.worker().name(),
                        Failures.firstLine(e));
            } catch (RuntimeException e) {
                WorkerPoolException wrapped = new WorkerPoolException("worker pool " + typeName
                        + ": could not shut down worker '" + connection.worker().name() + "': " + Failures.firstLine(e), e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            } finally {
                connection.close();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + typeName + ", " + workers.size() + " workers]";
    }

    /**
     * The configuration of a {@link WorkerPool}: its size and each worker's init argument and
     * spawn options by index, and the connection argument.
     *
     * @param <W> the worker type's init argument
     * @param <C> the worker type's connection argument
     */
    public static final class Builder<W, C> {
        private final WorkerType<W, C> type;
        private int workers = Runtime.getRuntime().availableProcessors();
        private IntFunction<? extends W> initArg = index -> null;
        private C connectionArg;
        private IntFunction<SpawnOptions> spawnOptions = index -> SpawnOptions.defaults();

        private Builder(WorkerType<W, C> type) {
            this.type = requireNonNull(type, "type");
        }

        /** The number of workers to spawn, at least 1; by default the number of processors. */
        public Builder<W, C> workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** The init argument of every worker (by default {@code null}). */
        public Builder<W, C> initArg(W initArg) {
            return initArg(index -> initArg);
        }

        /** The init argument of worker {@code index}, 0 to {@code workers - 1}. */
        public Builder<W, C> initArg(IntFunction<? extends W> initArgByIndex) {
            this.initArg = requireNonNull(initArgByIndex, "initArgByIndex");
            return this;
        }

        /** The connection argument the master connects to every worker with (by default {@code null}). */
        public Builder<W, C> connectionArg(C connectionArg) {
            this.connectionArg = connectionArg;
            return this;
        }

        /**
         * The spawn options of worker {@code index}, 0 to {@code workers - 1}: its redirects,
         * JVM options, environment and so on. A worker without a name is named
         * {@code TYPE-INDEX}, such as {@code wordcount-0}.
         */
        public Builder<W, C> spawnOptions(IntFunction<SpawnOptions> spawnOptionsByIndex) {
            this.spawnOptions = requireNonNull(spawnOptionsByIndex, "spawnOptionsByIndex");
            return this;
        }

        String typeName() {
            return type.name();
        }

        int size() {
            return workers;
        }

        /**
         * Spawns the workers, several at a time, and connects to each; blocks until all are
         * connected.
         *
         * @throws WorkerPoolException if any worker could not be started, naming the first (the
         *     others' failures are suppressed); the workers that did start are shut down first
         */
        public WorkerPool start() {
            // The master's settings first: an error in them (RPC_PARALLEL_SETTINGS) is the
            // application's, not a worker's, and is thrown as it is, once.
            Parallel.settings();
            IntFunction<Connection> starter = starter();
            ExecutorService threads = Executors.newFixedThreadPool(Math.min(workers, SPAWN_THREADS), runnable -> {
                Thread thread = new Thread(runnable, "worker-pool-spawn");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<Connection>> starting = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    int index = i;
                    starting.add(threads.submit(() -> starter.apply(index)));
                }
                List<Connection> started = new ArrayList<>();
                WorkerPoolException failure = null;
                for (int i = 0; i < starting.size(); i++) {
                    try {
                        started.add(starting.get(i).get());
                    } catch (ExecutionException | InterruptedException e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        Throwable cause = Failures.unwrap(e);
                        if (failure == null) {
                            failure = new WorkerPoolException("worker pool " + type.name() + ": could not start worker "
                                    + i + " of " + workers + ": " + Failures.firstLine(cause), cause);
                        } else {
                            failure.addSuppressed(cause);
                        }
                    }
                }
                WorkerPool pool = new WorkerPool(type.name(), starter, new ArrayList<>(started));
                if (failure != null) {
                    try {
                        pool.close();
                    } catch (RuntimeException e) {
                        failure.addSuppressed(e);
                    }
                    throw failure;
                }
                return pool;
            } finally {
                threads.shutdown();
            }
        }

        private IntFunction<Connection> starter() {
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
