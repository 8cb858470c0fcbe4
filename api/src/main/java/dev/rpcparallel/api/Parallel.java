package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import dev.rpcparallel.api.runtime.ParallelRuntime;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The entry point: start an application, spawn or serve workers, connect to them.
 *
 * <p>The simplest application gives its {@code main} to the library:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Parallel.startApp(args, masterArgs -> {
 *         WorkerRef worker = Parallel.spawn(Primes.TYPE, null, SpawnOptions.defaults());
 *         try (Connection c = Parallel.connect(worker)) {
 *             System.out.println(c.call(Primes.COUNT, new Range(0, 10_000_000)));
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p>Workers are started as new JVMs running the launcher's worker main class, with the same
 * class path; they find their implementations as {@code WorkerPlugin}s. An application that
 * starts its workers from its own main class instead ({@code SpawnOptions} of a later release)
 * calls {@link #runAsWorker()} first thing when {@link #isWorkerProcess()} says so.
 *
 * <p>A master that spawns often can {@linkplain #keepWarm(int) keep a warm pool} of started,
 * idle worker JVMs, so that a spawn hands over a ready one instead of starting a JVM.
 *
 * <p>All methods are thread-safe. The master side initialises itself with
 * {@link RpcSettings#defaults()} on first use unless {@link #initMaster} or {@link #startApp}
 * gave other settings before.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Parallel {
    /** Set in the environment of every spawned worker process; its presence makes it a worker. */
    public static final String WORKER_ENVIRONMENT_VARIABLE = "RPC_PARALLEL_WORKER";

    private Parallel() {}

    /**
     * Runs {@code main} as the master of an application with default settings, or, in a
     * process started as a worker, serves as that worker and never returns. Workers still
     * running when {@code main} returns are shut down.
     */
    public static void startApp(String[] args, MasterMain main) {
        startApp(args, RpcSettings.defaults(), main);
    }

    /** As {@link #startApp(String[], MasterMain)}, with the given settings. */
    public static void startApp(String[] args, RpcSettings settings, MasterMain main) {
        requireNonNull(args, "args");
        requireNonNull(settings, "settings");
        requireNonNull(main, "main");
        if (isWorkerProcess()) {
            runAsWorker();
            return;
        }
        initMaster(settings);
        try {
            main.run(args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RpcParallelException("the master's main failed: " + e, e);
        } finally {
            shutdownWorkers();
        }
    }

    /**
     * Shuts down every worker this process spawned or serves and waits, a few seconds at most,
     * for the spawned ones to exit; kills those that do not. Turns the {@linkplain #keepWarm(int)
     * warm pool} off and ends its idle workers. Further spawns are allowed.
     */
    public static void shutdownWorkers() {
        runtime().shutdownAll();
    }

    /**
     * Keeps {@code workers} started, idle worker JVMs with the master's default process options
     * ({@link SpawnOptions#defaults()}); 0 turns the warm pool off and ends its idle workers.
     * See {@link #keepWarm(int, SpawnOptions)}.
     */
    public static void keepWarm(int workers) {
        keepWarm(workers, SpawnOptions.defaults());
    }

    /**
     * Keeps {@code workers} started, idle worker JVMs, so that {@link #spawn} hands over a ready
     * one (a few milliseconds) instead of starting a JVM (hundreds). Returns at once: the pool
     * fills, and refills after each handover, in the background.
     *
     * <p>A pooled worker is started with the process-level options of {@code processOptions}
     * (JVM options and whether the master's are inherited, environment, working directory,
     * worker class path and command) by its launcher ({@link SpawnOptions#launcher()}; without
     * one the master's default launcher, else {@code local:}); their other fields are ignored.
     * Each launcher has a pool of its own: {@code keepWarm(2, SpawnOptions.builder()
     * .launcher("ssh://h1").build())} keeps two idle workers on h1 for the spawns to
     * {@code ssh://h1}, beside the pools of other launchers; 0 turns that launcher's pool off,
     * and 0 without a launcher every pool. A pooled worker on another host is reached over TCP
     * and ends with its master through its launcher's session. It loads the worker types, checks them against the
     * master's, watches its master like any worker (it dies with the master, {@code kill -9}
     * included, whatever shutdown mode its spawn will ask for), starts its server, opens its
     * link to the master, then waits. A spawn takes one when its own options have the same
     * process-level fields and its output goes to the master or is discarded (a file redirect
     * is fixed when a process starts); the spawn's name, shutdown mode, timeouts and failure
     * callback apply at the handover, and the worker then initialises its state and registers
     * as a cold-started one does, with the same errors. Other spawns, and every
     * {@link #spawnInForeground}, start a JVM as without a pool. {@code ps} shows a pooled
     * worker under its pool name, {@code warm-N}, even after its handover.
     *
     * <p>A pooled worker that exits while idle is replaced, never handed out; when three in a
     * row fail to get ready, the pool turns itself off and logs why. {@link #shutdownWorkers()}
     * turns the pool off too; call this again to restart it. Calling it with other process
     * options ends the idle workers started with the old ones.
     *
     * @param workers how many idle workers to keep, 0 or more
     * @throws IllegalArgumentException if {@code workers} is negative, or if {@code processOptions}
     *     names no launcher and the master has several default launchers
     * @throws SpawnException if the launcher cannot work here, or its workers could not reach
     *     the master (one listening on loopback only)
     */
    public static void keepWarm(int workers, SpawnOptions processOptions) {
        runtime().keepWarm(workers, requireNonNull(processOptions, "processOptions"));
    }

    /**
     * Initialises the master side with these settings. Call before the first spawn; calling it
     * again with other settings once workers exist fails.
     */
    public static void initMaster(RpcSettings settings) {
        runtime().initMaster(requireNonNull(settings, "settings"));
    }

    /** The settings in force: the master's, or in a worker, those its master gave it. */
    public static RpcSettings settings() {
        return runtime().settings();
    }

    /** Whether this process was started as a worker (the environment says so). */
    public static boolean isWorkerProcess() {
        return System.getenv(WORKER_ENVIRONMENT_VARIABLE) != null;
    }

    /**
     * Serves as the worker this process was started as; exits the process when the worker
     * shuts down. Only for processes where {@link #isWorkerProcess()} is true.
     */
    public static void runAsWorker() {
        runtime().runAsWorker();
    }

    /**
     * As {@link #runAsWorker()}, with {@code runtime} as this process's runtime: for the
     * launcher's own worker main class, which makes its runtime itself rather than have this
     * class search the class path for one (a {@link ServiceLoader} lookup opens every jar of the
     * class path, on the worker's start path). Every later call of this class in the process
     * uses that runtime. If the process already has one (a call of this class came first and
     * found it), that one serves and {@code runtime} is left unused.
     *
     * <p>Applications and plugins call {@link #runAsWorker()}: this is the seam between the
     * launcher's worker main class and this class, and may change in any release.
     */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public static void runAsWorker(ParallelRuntime runtime) {
        requireNonNull(runtime, "runtime");
        ParallelRuntime serving;
        synchronized (Parallel.class) {
            if (Parallel.runtime == null) {
                Parallel.runtime = runtime;
            }
            serving = Parallel.runtime;
        }
        serving.runAsWorker();
    }

    /**
     * Starts a worker in a new JVM and returns once it has registered and initialised its state
     * from {@code initArg}.
     *
     * @throws SpawnException if the process exits during start, does not register within the
     *     spawn timeout, or its state initialisation throws
     */
    public static <I> WorkerRef spawn(WorkerType<I, ?> type, I initArg, SpawnOptions options) {
        return runtime().spawn(requireNonNull(type, "type"), initArg, requireNonNull(options, "options"));
    }

    /**
     * As {@link #spawn(WorkerType, Object, SpawnOptions)}, and returns the worker's process too,
     * with its stdout and stderr left to the caller (the options' redirects are not applied).
     */
    public static <I> ForegroundWorker spawnInForeground(WorkerType<I, ?> type, I initArg, SpawnOptions options) {
        return runtime().spawnInForeground(requireNonNull(type, "type"), initArg, requireNonNull(options, "options"));
    }

    /**
     * Spawns a worker in {@link ShutdownOn#CONNECTION_CLOSED} mode and connects to it: the worker
     * exits when this connection closes. The options' shutdown mode is overridden.
     *
     * @throws SpawnException as {@link #spawn} does
     * @throws ConnectionException as {@link #connect(WorkerRef, WorkerType, Object)} does; the
     *     worker then exits, since its connection timeout passes with nobody connected
     */
    public static <I, A> Connection spawnAndConnect(WorkerType<I, A> type, I initArg, A connectionArg,
            SpawnOptions options) {
        return runtime().spawnAndConnect(requireNonNull(type, "type"), initArg, connectionArg,
                requireNonNull(options, "options"));
    }

    /** {@link #spawn(WorkerType, Object, SpawnOptions)} with default options. */
    public static <I> WorkerRef spawn(WorkerType<I, ?> type, I initArg) {
        return spawn(type, initArg, SpawnOptions.defaults());
    }

    /**
     * Starts a worker server in this process: the same server and protocol as a spawned
     * worker, without a new JVM.
     */
    public static <I> WorkerRef serve(WorkerType<I, ?> type, I initArg) {
        return runtime().serve(requireNonNull(type, "type"), initArg);
    }

    /** Connects to a worker whose connection argument is unused ({@code null}). */
    public static Connection connect(WorkerRef worker) {
        return runtime().connect(requireNonNull(worker, "worker"), null);
    }

    /**
     * Connects to a worker, initialising the connection state from {@code connectionArg}.
     *
     * @throws WorkerTypeMismatchException if {@code worker} is not of {@code type}
     * @throws ConnectionException if the worker cannot be reached, the handshake fails or the
     *     connection-state initialisation throws
     */
    public static <A> Connection connect(WorkerRef worker, WorkerType<?, A> type, A connectionArg) {
        requireNonNull(worker, "worker");
        requireNonNull(type, "type");
        if (!worker.workerType().equals(type.name())) {
            throw new WorkerTypeMismatchException("worker '" + worker.name() + "' is of type '"
                    + worker.workerType() + "', not '" + type.name() + "'");
        }
        return runtime().connect(worker, connectionArg);
    }

    /**
     * Asks a worker to shut down and waits for its acknowledgement. Uses a control connection,
     * so the worker's connection-state init does not run.
     *
     * @throws ConnectionException if the worker cannot be reached
     */
    public static void shutdown(WorkerRef worker) {
        runtime().shutdown(requireNonNull(worker, "worker"));
    }

    /**
     * Connects to the worker of an access loaded from another master's export
     * ({@link WorkerAccess#load}); its connection argument is unused ({@code null}).
     *
     * @throws ConnectionException as {@link #connect(WorkerRef, WorkerType, Object)} does, and
     *     when the worker there does not accept the access's key
     */
    public static Connection connect(WorkerAccess access) {
        return runtime().connect(requireNonNull(access, "access"), null);
    }

    /** As {@link #connect(WorkerRef, WorkerType, Object)}, for the worker of an access. */
    public static <A> Connection connect(WorkerAccess access, WorkerType<?, A> type, A connectionArg) {
        requireNonNull(access, "access");
        requireNonNull(type, "type");
        if (!access.worker().workerType().equals(type.name())) {
            throw new WorkerTypeMismatchException("worker '" + access.worker().name() + "' is of type '"
                    + access.worker().workerType() + "', not '" + type.name() + "'");
        }
        return runtime().connect(access, connectionArg);
    }

    /** As {@link #shutdown(WorkerRef)}, for the worker of an access. */
    public static void shutdown(WorkerAccess access) {
        runtime().shutdown(requireNonNull(access, "access"));
    }

    /** See {@link WorkerAccess#export}. */
    public static java.nio.file.Path exportAccess(WorkerRef worker) {
        return runtime().exportAccess(requireNonNull(worker, "worker"));
    }

    /** See {@link WorkerAccess#load}. */
    public static WorkerAccess loadAccess(java.nio.file.Path file) {
        return runtime().loadAccess(requireNonNull(file, "file"));
    }

    /** This process's runtime: handed over by {@link #runAsWorker(ParallelRuntime)}, or found at first use. */
    private static volatile ParallelRuntime runtime;

    private static ParallelRuntime runtime() {
        ParallelRuntime found = runtime;
        if (found == null) {
            synchronized (Parallel.class) {
                found = runtime;
                if (found == null) {
                    found = load();
                    runtime = found;
                }
            }
        }
        return found;
    }

    private static ParallelRuntime load() {
        Iterator<ParallelRuntime> found =
                ServiceLoader.load(ParallelRuntime.class, Parallel.class.getClassLoader()).iterator();
        if (!found.hasNext()) {
            throw new RpcParallelException("No rpc-parallel runtime found on the class path;"
                    + " add the rpc-parallel-launcher jar (dev.rpcparallel:rpc-parallel-launcher)"
                    + " to the application's class path");
        }
        return found.next();
    }
}
