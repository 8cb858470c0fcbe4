package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One launcher's warm pool: K started, idle worker JVMs where that launcher starts them (this
 * host, or another one over ssh, or a Slurm allocation), each ready (registry loaded,
 * fingerprint checked, lifeline set up and, on this host, the PID watch; server listening, link
 * to the master open) so that a spawn to that launcher whose process options match hands one
 * over instead of starting a JVM. {@link WarmPools} keeps one per launcher.
 *
 * <p>The pool's JVMs are started by the master ({@link WarmPools.Starter}), since they register
 * with it like any worker; a spawn asks for an idle worker ({@link #handOver}), and the pool
 * {@link #refill()}s once that worker answered its first call ({@link RefillAfterFirstAnswer}).
 *
 * <p>Refills in the background on the runtime's executor, never on the caller's thread. A
 * worker that exits while idle is dropped and replaced; after {@value #MAX_FAILED_STARTS} workers
 * in a row fail to get ready, the pool turns itself off and says why. Thread-safe.
 */
final class WarmPool {
    /** Created at first use: every runtime, a worker's too, makes a pool at its start. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(WarmPool.class);
    }
    static final int MAX_FAILED_STARTS = 3;

    private final WarmPools.Starter starter;
    private final Executor executor;
    private final ParkedLinks links;
    private final AtomicInteger poolNumbers;
    private final WorkerLaunch launch;
    private final Deque<WarmWorkerProcess> idle = new ArrayDeque<>();
    /** Every pooled process not yet handed over, starting or idle: the master's exit kills them. */
    private final Set<WarmWorkerProcess> notHandedOver = ConcurrentHashMap.newKeySet();
    private int target;
    private SpawnOptions processOptions = SpawnOptions.defaults();
    private int starting;
    private int failedStarts;
    /** Changes when the options change or the pool stops: workers started before are not kept. */
    private long generation;

    /**
     * @param links where the master parks its links to this pool's workers (shared by the pools)
     * @param poolNumbers numbers the pooled workers' names, {@code warm-N} (shared by the pools)
     * @param launch where this pool's workers start
     */
    WarmPool(Executor executor, WarmPools.Starter starter, ParkedLinks links, AtomicInteger poolNumbers, WorkerLaunch launch) {
        this.starter = starter;
        this.executor = executor;
        this.links = links;
        this.poolNumbers = poolNumbers;
        this.launch = launch;
    }

    /** Where this pool's workers start. */
    WorkerLaunch launch() {
        return launch;
    }

    /**
     * Keeps {@code workers} idle workers started with {@code options}' process options; 0 ends
     * the idle ones. Idle workers started with other options are ended.
     */
    synchronized void keepWarm(int workers, SpawnOptions options) {
        if (!samePool(processOptions, options)) {
            generation++;
            releaseIdle(0);
        }
        processOptions = options;
        target = workers;
        failedStarts = 0;
        if (workers == 0) {
            generation++;
        }
        releaseIdle(workers);
        refill();
    }

    /** Turns the pool off and ends its idle workers; workers still starting are ended when ready. */
    synchronized void turnOff() {
        target = 0;
        generation++;
        releaseIdle(0);
    }

    private static boolean samePool(SpawnOptions a, SpawnOptions b) {
        return WarmWorkerProcess.canServe(a, b) && WarmWorkerProcess.canServe(b, a);
    }

    /**
     * Hands an idle worker over to a spawn with these options, if the pool has one and its
     * process options match: from now on it is the spawn's worker, {@code assignment}'s. The
     * caller calls {@link #refill()} once the worker answered its first call
     * ({@link RefillAfterFirstAnswer}): a JVM starting meanwhile would compete with it for the CPU.
     */
    Optional<WorkerProcess> handOver(WorkerBootstrap.Assignment assignment, SpawnOptions options) {
        Optional<WarmWorkerProcess> warm = take(options);
        if (warm.isEmpty()) {
            return Optional.empty();
        }
        try {
            WorkerProcess process = warm.get().handOver(assignment, options);
            links.handedOver(warm.get(), assignment.workerId());
            return Optional.of(process);
        } catch (IOException e) {
            // It died between the pool's check and now: the spawn starts a cold one instead.
            Log.LOG.debug("Warm worker '{}' could not be handed over: {}", warm.get().poolName(), e.toString());
            warm.get().process().destroyForcibly();
            return Optional.empty();
        }
    }

    private synchronized Optional<WarmWorkerProcess> take(SpawnOptions options) {
        if (target == 0 || !WarmWorkerProcess.canServe(processOptions, options)) {
            return Optional.empty();
        }
        WarmWorkerProcess found = null;
        while (found == null && !idle.isEmpty()) {
            WarmWorkerProcess next = idle.pollFirst();
            if (next.process().isAlive()) {
                found = next;
            } else {
                notHandedOver.remove(next);
            }
        }
        if (found != null) {
            notHandedOver.remove(found);
        }
        return Optional.ofNullable(found);
    }

    /**
     * Turns the pool off, ends its idle workers and closes the links parked to handed-over ones;
     * returns the idle workers' processes, to wait for.
     */
    synchronized List<Process> stop() {
        target = 0;
        generation++;
        List<Process> released = idle.stream().map(WarmWorkerProcess::process).toList();
        releaseIdle(0);
        return released;
    }

    /** Kills every pooled process not handed over: the master is exiting. */
    void killAll() {
        notHandedOver.forEach(worker -> worker.process().destroyForcibly());
    }

    /** How many idle workers the pool keeps: 0 when off, also after it turned itself off. */
    synchronized int target() {
        return target;
    }

    /** The processes of the idle workers, oldest first, for tests and diagnostics. */
    synchronized List<Process> idleProcesses() {
        return idle.stream().map(WarmWorkerProcess::process).filter(Process::isAlive).toList();
    }

    /** The parked links of the idle workers, for tests and diagnostics. */
    synchronized List<ParkedLink> idleLinks() {
        return idle.stream().flatMap(worker -> worker.link().stream()).toList();
    }

    private void releaseIdle(int keep) {
        while (idle.size() > keep) {
            WarmWorkerProcess extra = idle.pollLast();
            notHandedOver.remove(extra);
            extra.release();
        }
    }

    /** Starts, in the background, as many workers as the pool lacks. */
    synchronized void refill() {
        while (idle.size() + starting < target) {
            starting++;
            long startedIn = generation;
            SpawnOptions options = processOptions;
            executor.execute(() -> startOne(options, startedIn));
        }
    }

    private void startOne(SpawnOptions options, long startedIn) {
        WarmWorkerProcess worker = null;
        String failure = null;
        try {
            String poolName = "warm-" + poolNumbers.incrementAndGet();
            String poolId = "warm-" + UUID.randomUUID();
            WarmPools.Started start = starter.start(poolId, poolName, options, launch);
            WarmWorkerProcess pooled = new WarmWorkerProcess(poolName, start.process(), options);
            worker = pooled;
            notHandedOver.add(worker);
            CompletableFuture<String> ready = start.registered().thenApplyAsync(address -> {
                links.open(pooled, new WorkerRef("", poolId, poolName, address));
                return address;
            }, executor);
            CompletableFuture.anyOf(ready, worker.process().onExit())
                    .get(options.spawnTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!ready.isDone()) {
                failure = "it exited with status " + worker.process().exitValue() + " before it was ready. It printed:\n"
                        + worker.outputOfExited();
            }
        } catch (IOException | ExecutionException e) {
            failure = "it could not be started: " + e.getMessage();
        } catch (TimeoutException e) {
            failure = "it was not ready within " + options.spawnTimeout().toMillis() + " ms, so it was killed";
            worker.process().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        synchronized (this) {
            starting--;
            if (failure != null) {
                if (worker != null) {
                    notHandedOver.remove(worker);
                }
                failedStarts++;
                Log.LOG.warn("A worker of the warm pool for {} failed: {}", launch, failure);
                if (failedStarts >= MAX_FAILED_STARTS && generation == startedIn) {
                    Log.LOG.error("The warm pool for {} is off: {} workers in a row failed to start; spawns start cold"
                            + " JVMs. Fix the pool's JVM options, environment, working directory or launcher and call"
                            + " Parallel.keepWarm again. The last one: {}", launch, failedStarts, failure);
                    target = 0;
                    generation++;
                    return;
                }
            } else if (generation != startedIn || idle.size() >= target) {
                notHandedOver.remove(worker);
                worker.release();
            } else {
                failedStarts = 0;
                idle.addLast(worker);
                WarmWorkerProcess ready = worker;
                worker.process().onExit().thenRunAsync(() -> dropExited(ready), executor);
            }
            refill();
        }
    }

    /** An idle worker exited: it is not handed out, and a replacement starts. */
    private synchronized void dropExited(WarmWorkerProcess worker) {
        notHandedOver.remove(worker);
        if (idle.remove(worker)) {
            Log.LOG.warn("Idle worker '{}' of the warm pool for {} exited with status {}; starting a replacement",
                    worker.poolName(), launch, worker.process().exitValue());
            refill();
        }
    }
}
