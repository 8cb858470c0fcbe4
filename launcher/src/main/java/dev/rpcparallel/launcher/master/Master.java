package dev.rpcparallel.launcher.master;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.ForegroundWorker;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.fork.ProcessOptionsCheck;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.warm.WarmPools;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The master side of a runtime: the workers it spawns (cold or from its warm pools), the
 * registration server they report to, the workers it serves in its own process, and the
 * shutdown of them all. Thread-safe.
 */
public final class Master {
    private final RegistrationDesk desk;
    private final SpawnedWorkers children = new SpawnedWorkers();
    private final Spawner spawner;
    private final WarmPools warmPools;
    private final RuntimeContext context;
    private final InProcessWorkers served;

    public Master(RuntimeContext context) {
        this.context = context;
        AtomicInteger workerCounter = new AtomicInteger();
        desk = new RegistrationDesk(context, children, this::installShutdownHook);
        spawner = new Spawner(context, desk, children, workerCounter);
        warmPools = new WarmPools(context, spawner);
        spawner.usePools(warmPools);
        served = new InProcessWorkers(context, workerCounter);
    }

    /** Spawns a worker and waits for it to register. */
    public <I> ForegroundWorker spawn(WorkerType<I, ?> type, I initArg, SpawnOptions options, boolean foreground) {
        return spawner.start(type, initArg, options, foreground);
    }

    /** Serves a worker in this process. */
    public <I> WorkerRef serve(WorkerType<I, ?> type, I initArg) {
        return served.serve(type, initArg);
    }

    /**
     * Keeps {@code workers} idle workers started with these process options by their launcher
     * (without one: the master's default launcher, else {@code local:}); 0 turns that launcher's
     * pool off, and without a launcher every pool.
     *
     * @throws IllegalArgumentException if {@code workers} is negative, or if no launcher is given
     *     and the master has several default launchers
     * @throws dev.rpcparallel.api.SpawnException if the launcher cannot start workers here, or
     *     its workers could not reach the master
     */
    public void keepWarm(int workers, SpawnOptions processOptions) {
        requireNonNull(processOptions, "processOptions");
        if (workers < 0) {
            throw new IllegalArgumentException("keepWarm needs a number of idle workers of 0 or more (0 turns the"
                    + " warm pool off), not " + workers);
        }
        ProcessOptionsCheck.requireStartable("warm-pool", processOptions);
        if (workers == 0 && processOptions.launcher().isEmpty()) {
            warmPools.turnOffAll();
            return;
        }
        URI target = processOptions.launcher().orElseGet(() -> poolLauncherByDefault(workers));
        WorkerLaunch launch = spawner.launch("warm-pool", processOptions.toBuilder().launcher(target).build());
        if (workers > 0) {
            // Fails now, with the fix, if the pool's workers could not reach the master.
            MasterAddressForRemote.of(desk.master().address(), launch, context.settings(), "warm-pool");
        }
        warmPools.keepWarm(workers, processOptions, launch);
    }

    /** The master's one default launcher, or {@code local:}; several are ambiguous for a pool. */
    private URI poolLauncherByDefault(int workers) {
        String defaults = context.settings().launcher();
        if (defaults.isBlank()) {
            return WorkerLaunch.LOCAL;
        }
        if (defaults.contains(";")) {
            throw new IllegalArgumentException("keepWarm(" + workers + ") names no launcher, and the master has"
                    + " several default launchers (" + defaults + "); a warm pool belongs to one launcher. Fix: call"
                    + " keepWarm once per launcher, with SpawnOptions.builder().launcher(\"...\")");
        }
        return SpawnOptions.builder().launcher(defaults.strip()).build().launcher().orElseThrow();
    }

    /** The warm pools, for the link they parked to a handed-over worker, and for diagnostics. */
    public WarmPools warmPools() {
        return warmPools;
    }

    /** Whether this master runs workers or its registration server: its settings are fixed then. */
    public boolean workersExist() {
        return desk.isRunning() || !children.isEmpty() || !served.isEmpty();
    }

    /**
     * Why a connection to a worker this master spawned was lost, if it is one: its exit status
     * or why the master gave it up; empty for other workers.
     */
    public Optional<Supplier<Optional<String>>> lossExplainer(String workerId) {
        return children.get(workerId).map(child -> child::explainLoss);
    }

    /** Ends the workers it serves, its warm pool, the spawned workers that die with it, and its registration server. */
    public void shutdownAll() {
        served.stopAll();
        List<Process> warm = warmPools.stop();
        List<WorkerProcess> released = children.releaseThoseThatDieWithTheMaster();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Process idle : warm) {
            try {
                if (!idle.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    idle.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                idle.destroyForcibly();
            }
        }
        SpawnedWorkers.awaitExit(released, deadline);
        spawner.closeLaunchers();
        desk.close();
    }

    /** Kills the children if the master's JVM exits without shutting them down (Ctrl-C, SIGTERM). */
    private void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            warmPools.killAll();
            children.killThoseThatDieWithTheMaster();
        }, "rpc-parallel-kill-workers"));
    }

    /** The master as its workers reach it (id and address of its registration server); starts it if it was not. */
    public WorkerRef registrationServer() {
        return desk.master();
    }

    /** How many spawns wait for their worker to register. */
    public int pendingRegistrationCount() {
        return desk.pendingCount();
    }

    /** How many links of its workers the registration server holds, for tests and diagnostics. */
    public int registrationLinkCount() {
        return desk.linkCount();
    }

    /** The worker processes it spawned that still run. */
    public List<Process> childProcesses() {
        return children.processes();
    }
}
