package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The master's warm pools, one per launcher: {@code keepWarm(2, options)} with the launcher
 * {@code ssh://h1} keeps two idle workers started on h1, and a spawn to {@code ssh://h1} whose
 * process options match takes one of them; a spawn to another launcher (or to this host) does
 * not. Pools of several launchers live side by side, each refilled and turned off on its own.
 *
 * <p>A pooled worker on another host is the launcher's process like a cold-started one there:
 * no PID watch, reached over TCP, no class-data archive, and ended by its master's death through
 * its launcher's session (the end of stdin over ssh, {@code scancel} for Slurm).
 *
 * <p>The master meets the pools at three points: a spawn asks for an idle worker
 * ({@link #handOver}) and says when it {@linkplain #spawnEnded ended}, a connect asks for
 * the link the master {@link #adoptLink parked} to a handed-over worker, and the master's end
 * {@linkplain #stop() stops} them. It starts the pools' JVMs for them ({@link Starter}), since they
 * register with it like any worker. Thread-safe.
 */
public final class WarmPools {
    /** The master's part: starts one pooled worker JVM. */
    public interface Starter {
        /**
         * Starts a worker JVM with a {@link WorkerBootstrap#pooled() pooled} bootstrap under
         * {@code poolId} and {@code poolName}, and the process options of {@code processOptions},
         * where {@code launch} says.
         *
         * @throws IOException if it cannot be started (for a launcher elsewhere: its reason)
         */
        Started start(String poolId, String poolName, SpawnOptions processOptions, WorkerLaunch launch)
                throws IOException;
    }

    /**
     * A started pooled worker.
     *
     * @param registered completes with the address of its server when it registered as ready
     */
    public record Started(WorkerProcess.Started process, CompletableFuture<String> registered) {}

    private final RuntimeContext context;
    private final Starter starter;
    private final ParkedLinks links;
    private final RefillAfterFirstAnswer refills;
    private final AtomicInteger poolNumbers = new AtomicInteger();
    /** By {@link #keyOf launcher}. */
    private final Map<String, WarmPool> byLauncher = new ConcurrentHashMap<>();

    public WarmPools(RuntimeContext context, Starter starter) {
        this.context = context;
        this.starter = starter;
        this.refills = new RefillAfterFirstAnswer(this::refill, context.timer());
        this.links = new ParkedLinks(context, refills::firstAnswer);
    }

    /**
     * Keeps {@code workers} idle workers started by {@code launch} with {@code options}' process
     * options; 0 ends that launcher's idle workers. Other launchers' pools are left as they are.
     */
    public void keepWarm(int workers, SpawnOptions options, WorkerLaunch launch) {
        String key = keyOf(launch.target());
        if (workers == 0) {
            WarmPool pool = byLauncher.get(key);
            if (pool != null) {
                pool.keepWarm(0, options);
            }
            return;
        }
        byLauncher.computeIfAbsent(key,
                unused -> new WarmPool(context.executor(), starter, links, poolNumbers, launch))
                .keepWarm(workers, options);
    }

    /**
     * Hands an idle worker of {@code launch}'s pool over to a spawn with these options, if there
     * is one and its process options match: from now on it is the spawn's worker,
     * {@code assignment}'s. The caller tells {@link #spawnEnded} when the spawn returns or fails.
     */
    public Optional<WorkerProcess> handOver(WorkerBootstrap.Assignment assignment, SpawnOptions options,
            WorkerLaunch launch) {
        WarmPool pool = byLauncher.get(keyOf(launch.target()));
        Optional<WorkerProcess> handedOver = pool == null ? Optional.empty() : pool.handOver(assignment, options);
        handedOver.ifPresent(process -> refills.handedOver(assignment.workerId(), process.process()));
        return handedOver;
    }

    /**
     * The spawn of {@code workerId} returned or failed. After a handover the pools refill once
     * that worker answered its first call on the link its first connect adopted (or a second
     * after the spawn without one, or at its exit): a JVM starting before would compete with
     * that connect and call for the CPU. After any other spawn they refill now.
     */
    public void spawnEnded(String workerId) {
        refills.spawnEnded(workerId);
    }

    /** Turns every pool off and ends their idle workers. */
    public void turnOffAll() {
        byLauncher.values().forEach(WarmPool::turnOff);
    }

    /** Starts, in the background, as many workers as each pool lacks. */
    public void refill() {
        byLauncher.values().forEach(WarmPool::refill);
    }

    /**
     * The link parked to a handed-over worker, adopted for a first connection with this
     * argument; empty if there is none (the worker was started cold, or it is not the first
     * connect).
     */
    public Optional<ClientConnection> adoptLink(WorkerRef worker, byte[] connectionArg, FunctionIds functionIds) {
        return links.adopt(worker, connectionArg, functionIds);
    }

    /**
     * Turns every pool off, ends their idle workers and closes the links parked to handed-over
     * ones; returns the idle workers' processes, to wait for.
     */
    public List<Process> stop() {
        List<Process> released = new ArrayList<>();
        byLauncher.values().forEach(pool -> released.addAll(pool.stop()));
        refills.clear();
        links.closeAll();
        return released;
    }

    /** Kills every pooled process not handed over: the master is exiting. */
    public void killAll() {
        byLauncher.values().forEach(WarmPool::killAll);
    }

    /** How many idle workers the pools keep in all: 0 when all are off. */
    public int target() {
        return byLauncher.values().stream().mapToInt(WarmPool::target).sum();
    }

    /** How many idle workers the pool of {@code launcher} keeps: 0 when it is off or there is none. */
    public int target(URI launcher) {
        WarmPool pool = byLauncher.get(keyOf(launcher));
        return pool == null ? 0 : pool.target();
    }

    /** The processes of every pool's idle workers, for tests and diagnostics. */
    public List<Process> idleProcesses() {
        return byLauncher.values().stream().flatMap(pool -> pool.idleProcesses().stream()).toList();
    }

    /** The processes of the idle workers of {@code launcher}'s pool, oldest first, for tests and diagnostics. */
    public List<Process> idleProcesses(URI launcher) {
        WarmPool pool = byLauncher.get(keyOf(launcher));
        return pool == null ? List.of() : pool.idleProcesses();
    }

    /** The parked links of the idle workers, for tests and diagnostics. */
    public List<ParkedLink> idleLinks() {
        return byLauncher.values().stream().flatMap(pool -> pool.idleLinks().stream()).toList();
    }

    /** How many connects adopted a pooled worker's parked link, for tests and diagnostics. */
    public int adoptedLinks() {
        return links.adopted();
    }

    /**
     * The pool a launcher target belongs to: its scheme and the rest as written, so that
     * {@code ssh://h1} and {@code ssh://h1?cache=...} are two pools (they start different
     * commands); {@code local:} in any spelling is one.
     */
    static String keyOf(URI target) {
        String rest = target.getSchemeSpecificPart();
        // local: is spelt local:/ as a URI (something must follow the scheme)
        return target.getScheme().toLowerCase(Locale.ROOT) + ":" + (rest.equals("/") ? "" : rest);
    }
}
