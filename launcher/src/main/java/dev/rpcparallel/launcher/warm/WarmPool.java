package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
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
import java.util.function.ToIntFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The master's warm pool: K started, idle worker JVMs, each ready (registry loaded, fingerprint
 * checked, lifeline and PID watch set up, server listening, link to the master open) so that a
 * spawn whose process options match hands one over instead of starting a JVM.
 *
 * <p>The master meets the pool at two points: a spawn asks it to {@link #handOver} an idle
 * worker (and lets it {@link #refill()} once the worker registered), and a connect asks it for
 * the link it {@link #adoptLink parked} to a handed-over worker. The master starts the pool's
 * JVMs for it ({@link Starter}), since they register with the master like any worker.
 *
 * <p>Refills in the background on the runtime's executor, never on the caller's thread. A
 * worker that exits while idle is dropped and replaced; after {@value #MAX_FAILED_STARTS} workers
 * in a row fail to get ready, the pool turns itself off and says why. Thread-safe.
 */
public final class WarmPool {
    /** Created at first use: every runtime, a worker's too, makes a pool at its start. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(WarmPool.class);
    }
    static final int MAX_FAILED_STARTS = 3;

    /** The master's part: starts one pooled worker JVM. */
    public interface Starter {
        /**
         * Starts a worker JVM with a {@link WorkerBootstrap#pooled() pooled} bootstrap under
         * {@code poolId} and {@code poolName}, and the process options of {@code processOptions}.
         */
        Started start(String poolId, String poolName, SpawnOptions processOptions) throws IOException;
    }

    /**
     * A started pooled worker.
     *
     * @param registered completes with the address of its server when it registered as ready
     */
    public record Started(WorkerProcess.Started process, CompletableFuture<String> registered) {}

    private final Starter starter;
    private final Executor executor;
    private final ParkedLinks links;
    private final AtomicInteger poolNumbers = new AtomicInteger();
    private final Deque<WarmWorkerProcess> idle = new ArrayDeque<>();
    /** Every pooled process not yet handed over, starting or idle: the master's exit kills them. */
    private final Set<WarmWorkerProcess> notHandedOver = ConcurrentHashMap.newKeySet();
    private int target;
    private SpawnOptions processOptions = SpawnOptions.defaults();
    private int starting;
    private int failedStarts;
    /** Changes when the options change or the pool stops: workers started before are not kept. */
    private long generation;

    public WarmPool(RuntimeContext context, Starter starter) {
        this.starter = starter;
        this.executor = context.executor();
        this.links = new ParkedLinks(context);
    }

    /**
     * Keeps {@code workers} idle workers started with {@code options}' process options; 0 ends
     * the idle ones. Idle workers started with other options are ended.
     */
    public synchronized void keepWarm(int workers, SpawnOptions options) {
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

    private static boolean samePool(SpawnOptions a, SpawnOptions b) {
        return WarmWorkerProcess.canServe(a, b) && WarmWorkerProcess.canServe(b, a);
    }

    /**
     * Hands an idle worker over to a spawn with these options, if the pool has one and its
     * process options match: from now on it is the spawn's worker, {@code assignment}'s. The
     * caller calls {@link #refill()} once the worker registered: a JVM starting meanwhile would
     * compete with it for the CPU.
     */
    public Optional<WorkerProcess> handOver(WorkerBootstrap.Assignment assignment, SpawnOptions options) {
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

    /**
     * The link parked to a handed-over worker, adopted for a first connection with this
     * argument; empty if there is none (the worker was started cold, or it is not the first
     * connect).
     */
    public Optional<ClientConnection> adoptLink(WorkerRef worker, byte[] connectionArg, FunctionIds functionIds) {
        return links.adopt(worker, connectionArg, functionIds);
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
    public synchronized List<Process> stop() {
        target = 0;
        generation++;
        List<Process> released = idle.stream().map(WarmWorkerProcess::process).toList();
        releaseIdle(0);
        links.closeAll();
        return released;
    }

    /** Kills every pooled process not handed over: the master is exiting. */
    public void killAll() {
        notHandedOver.forEach(worker -> worker.process().destroyForcibly());
    }

    /** How many idle workers the pool keeps: 0 when off, also after it turned itself off. */
    public synchronized int target() {
        return target;
    }

    /** The processes of the idle workers, oldest first, for tests and diagnostics. */
    public synchronized List<Process> idleProcesses() {
        return idle.stream().map(WarmWorkerProcess::process).filter(Process::isAlive).toList();
    }

    /** The parked links of the idle workers, for tests and diagnostics. */
    public synchronized List<ParkedLink> idleLinks() {
        return idle.stream().flatMap(worker -> worker.link().stream()).toList();
    }

    /** How many connects adopted a pooled worker's parked link, for tests and diagnostics. */
    public int adoptedLinks() {
        return links.adopted();
    }

    private void releaseIdle(int keep) {
        while (idle.size() > keep) {
            WarmWorkerProcess extra = idle.pollLast();
            notHandedOver.remove(extra);
            extra.release();
        }
    }

    /** Starts, in the background, as many workers as the pool lacks. */
    public synchronized void refill() {
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
            Started start = starter.start(poolId, poolName, options);
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
                Log.LOG.warn("A worker of the warm pool failed: {}", failure);
                if (failedStarts >= MAX_FAILED_STARTS && generation == startedIn) {
                    Log.LOG.error("The warm pool is off: {} workers in a row failed to start; spawns start cold JVMs."
                            + " Fix the pool's JVM options, environment or working directory and call"
                            + " Parallel.keepWarm again. The last one: {}", failedStarts, failure);
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
            Log.LOG.warn("Idle worker '{}' of the warm pool exited with status {}; starting a replacement",
                    worker.poolName(), worker.process().exitValue());
            refill();
        }
    }
}
