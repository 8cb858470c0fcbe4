package dev.rpcparallel.launcher.master;

import dev.rpcparallel.launcher.fork.WorkerProcess;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;

/** The worker processes a master spawned and that still run, by worker id. Thread-safe. */
final class SpawnedWorkers {
    private final Map<String, SpawnedWorker> running = new ConcurrentHashMap<>();

    /**
     * Adds a spawned worker until its process exits; then {@code onExit} runs, on
     * {@code executor}, and the worker is told it {@linkplain SpawnedWorker#exited exited}.
     */
    void add(SpawnedWorker worker, Runnable onExit, Executor executor) {
        running.put(worker.id(), worker);
        worker.process().process().onExit().thenRunAsync(() -> {
            running.remove(worker.id());
            onExit.run();
            worker.exited();
        }, executor);
    }

    Optional<SpawnedWorker> get(String workerId) {
        return Optional.ofNullable(running.get(workerId));
    }

    boolean isEmpty() {
        return running.isEmpty();
    }

    /** Their processes that are still alive. */
    List<Process> processes() {
        return running.values().stream().map(child -> child.process().process()).filter(Process::isAlive).toList();
    }

    /** Kills, at once, those that die with their master: its JVM is exiting. */
    void killThoseThatDieWithTheMaster() {
        for (SpawnedWorker child : running.values()) {
            if (child.diesWithMaster()) {
                child.process().process().destroyForcibly();
            }
        }
    }

    /** Releases those that die with their master; returns them, to {@linkplain #awaitExit await}. */
    List<WorkerProcess> releaseThoseThatDieWithTheMaster() {
        List<WorkerProcess> released = running.values().stream()
                .filter(SpawnedWorker::diesWithMaster).map(SpawnedWorker::process).toList();
        released.forEach(WorkerProcess::release);
        return released;
    }

    /** Waits until {@code deadline} ({@link System#nanoTime()}) for released workers to exit; kills those that do not. */
    static void awaitExit(Collection<WorkerProcess> released, long deadline) {
        for (WorkerProcess child : released) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!child.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    LogManager.getLogger(SpawnedWorkers.class).warn(
                            "Worker '{}' did not exit within 5 s of its master's shutdown; killing it", child.name());
                    child.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.process().destroyForcibly();
            }
        }
    }
}
