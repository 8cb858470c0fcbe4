package dev.rpcparallel.launcher.liveness;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A master's watch on the heartbeats of its spawned workers. A worker sends one every heartbeat
 * interval, naming itself; a watched worker not heard from for the heartbeat timeout is hung or
 * stopped, and is declared lost: its callback runs once, with the reason
 * {@code "no heartbeat from worker 'NAME' for N ms"}.
 *
 * <p>Silence counts only over time this master was running ({@link PauseDetector}): a master that
 * was itself stopped, with its workers (a whole job paused with Ctrl-Z) or alone, waits for fresh
 * heartbeats before it judges anyone. Heartbeats may be recorded from any thread; the check runs
 * on the timer, and callbacks on the executor. The check runs only while some worker is watched,
 * so a master without workers leaves its timer idle (and the timer's thread ends).
 */
public final class WorkerHeartbeats {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(WorkerHeartbeats.class);
    }

    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    /** The periodic check while some worker is watched, else null; guarded by this. */
    private ScheduledFuture<?> checks;
    /** Whether {@link #close()} was called: no check starts again; guarded by this. */
    private boolean closed;
    /** Used on the timer's thread only, once checks have started. */
    private PauseDetector pauses;

    private static final class Watched {
        final String name;
        final Consumer<String> onLost;
        volatile long lastHeard = System.nanoTime();

        Watched(String name, Consumer<String> onLost) {
            this.name = name;
            this.onLost = onLost;
        }
    }

    public WorkerHeartbeats(Duration interval, Duration timeout, ScheduledExecutorService timer, Executor executor) {
        this.interval = interval;
        this.timeout = timeout;
        this.timer = timer;
        this.executor = executor;
    }

    /** Watches a worker from now on; {@code onLost} gets the reason if it falls silent. */
    public void watch(String workerId, String workerName, Consumer<String> onLost) {
        watched.put(workerId, new Watched(workerName, onLost));
        synchronized (this) {
            if (checks == null && !closed) {
                pauses = new PauseDetector(interval, timeout, System.nanoTime());
                checks = timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A heartbeat arrived; its payload is the worker's id (empty from a worker talking to itself). */
    public void heard(byte[] heartbeat) {
        if (heartbeat.length > 0) {
            Watched worker = watched.get(new String(heartbeat, UTF_8));
            if (worker != null) {
                worker.lastHeard = System.nanoTime();
            }
        }
    }

    /** Stops watching a worker: it exited, or was shut down. */
    public void forget(String workerId) {
        watched.remove(workerId);
        stopIfNoneWatched();
    }

    /** Stops the periodic check when no worker is left to watch; {@link #watch} starts it again. */
    private void stopIfNoneWatched() {
        synchronized (this) {
            if (checks != null && watched.isEmpty()) {
                checks.cancel(false);
                checks = null;
            }
        }
    }

    /** Stops watching every worker: the master's registration server has closed. */
    public void close() {
        watched.clear();
        synchronized (this) {
            closed = true;
            if (checks != null) {
                checks.cancel(false);
                checks = null;
            }
        }
    }

    private void check() {
        try {
            long now = System.nanoTime();
            long paused = pauses.tick(now);
            if (paused > 0 && !watched.isEmpty()) {
                Log.LOG.warn("This master was paused or starved for {} ms; its workers get a fresh heartbeat timeout",
                        TimeUnit.NANOSECONDS.toMillis(paused));
            }
            for (Map.Entry<String, Watched> entry : watched.entrySet()) {
                Watched worker = entry.getValue();
                long silent = pauses.silence(now, worker.lastHeard);
                if (silent > timeout.toNanos() && watched.remove(entry.getKey(), worker)) {
                    String reason = "no heartbeat from worker '" + worker.name + "' for "
                            + TimeUnit.NANOSECONDS.toMillis(silent) + " ms";
                    executor.execute(() -> worker.onLost.accept(reason));
                }
            }
            stopIfNoneWatched();
        } catch (RuntimeException e) {
            // Thrown out of a periodic task, it would silently cancel every later check.
            Log.LOG.error("Checking the heartbeats of workers failed", e);
        }
    }
}
