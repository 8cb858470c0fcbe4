package dev.rpcparallel.launcher.liveness;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.client.ClientConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How a spawned worker watches its master, from the moment it has read its bootstrap (before its
 * plugins load: a plugin's static initialiser may take any time). Three signs, each on its own:
 * <ul>
 *   <li><b>The lifeline</b>, its stdin: only the master holds the other end, so its end (or a
 *       read error) means the master died. The master also writes on it: a release byte (a clean
 *       goodbye) and, to an idle worker of its warm pool, the assignment.
 *   <li><b>The master's process</b>, checked by PID every {@value #PID_CHECK_MILLIS} ms. A check
 *       saying the process is gone can be wrong: on Linux it reads {@code /proc/PID/stat}, which
 *       fails when this process is out of file descriptors. So it is only a suspicion, confirmed
 *       by a probe (a heartbeat) on the link to the master, or before that link exists by the
 *       PID's absence from the process table (a {@code stat}, which needs no descriptor); the
 *       lifeline tells of a real death meanwhile.
 *   <li><b>Heartbeats</b> on the link to the master, every heartbeat interval, once registered:
 *       the master is given up when it has not answered for the heartbeat timeout, counted only
 *       over time this process was running ({@link PauseDetector}): a worker that was stopped and
 *       resumed waits for a fresh answer before it judges its master.
 * </ul>
 * The watch only observes: its {@link Listener} decides what a verdict means (a worker that
 * outlives its master ignores it once registered). Tasks run on the runtime's timer and never
 * block it.
 */
public final class MasterWatch {
    /** How often the master's PID is checked. */
    static final long PID_CHECK_MILLIS = 250;
    private static final String HEARTBEAT = BuiltinFunctions.describeId(BuiltinFunctions.HEARTBEAT);

    /** What the watch tells its worker. Called on the lifeline's or the timer's thread. */
    public interface Listener {
        /** The master said goodbye on the lifeline. */
        void released();

        /** The master handed this idle pooled worker over. */
        void assigned(WorkerBootstrap.Assignment assignment);

        /** The master is gone, for the reason given ("its master's process 12 has exited"). */
        void masterGone(String why);
    }

    private final String workerName;
    private final long masterPid;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Supplier<String> workerId;
    private final Listener listener;
    private final AtomicBoolean misreadReported = new AtomicBoolean();
    private volatile ProcessHandle master;
    private volatile ClientConnection link;
    private volatile ScheduledFuture<?> pidChecks;
    private volatile ScheduledFuture<?> heartbeats;
    private volatile boolean confirming;
    private volatile long lastAnswer;
    /** Used on the timer's thread only. */
    private PauseDetector pauses;

    /**
     * @param workerId the worker's id as it is now (a pooled worker's changes at its handover),
     *     sent with each heartbeat so that the master knows whom it hears from
     */
    public MasterWatch(String workerName, long masterPid, Duration interval, Duration timeout,
            ScheduledExecutorService timer, Supplier<String> workerId, Listener listener) {
        this.workerName = workerName;
        this.masterPid = masterPid;
        this.interval = interval;
        this.timeout = timeout;
        this.timer = timer;
        this.workerId = workerId;
        this.listener = listener;
    }

    /** Starts reading the lifeline on a daemon thread. */
    public void watchLifeline(InputStream stdin) {
        Thread reader = new Thread(() -> readLifeline(stdin), "rpc-parallel-lifeline");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLifeline(InputStream stdin) {
        try {
            for (int next = stdin.read(); next >= 0; next = stdin.read()) {
                if (next == WorkerProcess.LIFELINE_RELEASE) {
                    listener.released();
                } else if (next == WorkerBootstrap.LIFELINE_ASSIGN) {
                    listener.assigned(WorkerBootstrap.Assignment.readFrom(stdin));
                }
            }
        } catch (IOException | RuntimeException e) {
            // A broken pipe or a garbled assignment means the same as the end: the master is gone.
        }
        listener.masterGone("its master has gone (stdin closed)");
    }

    /** Starts checking the master's PID. */
    public void watchPid() {
        // Loaded and run once now: a confirmation must not need a class file when descriptors run out.
        processTableShows(masterPid);
        pidChecks = timer.scheduleWithFixedDelay(() -> guarded("process check", this::checkPid), 0,
                PID_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkPid() {
        if (confirming) {
            return;
        }
        ProcessHandle handle = master;
        if (handle == null) {
            handle = ProcessHandle.of(masterPid).orElse(null);
            master = handle;
        }
        if (handle != null && handle.isAlive()) {
            return;
        }
        master = null;
        confirming = true;
        confirmExit("its master's process " + masterPid + " has exited");
    }

    /** The process check says the master exited: believe it only if the master's link or the process table agrees. */
    private void confirmExit(String suspicion) {
        ClientConnection current = link;
        if (current != null && current.isOpen()) {
            probe(current).whenComplete((answer, error) -> {
                if (error == null) {
                    misread(suspicion);
                } else {
                    listener.masterGone(suspicion + ", and its link did not answer (" + error + ")");
                }
            });
        } else if (processTableShows(masterPid)) {
            misread(suspicion);
        } else {
            listener.masterGone(suspicion);
        }
    }

    private void misread(String suspicion) {
        if (misreadReported.compareAndSet(false, true)) {
            // The worker process's own stderr, as its other process-level notices (a plugin
            // mismatch, an uncaught exception): copied to its master's stderr with its name,
            // quoted in a WorkerFailedException, and printed whatever logging the application
            // configured (Log4j's default prints no WARN). Said when descriptors ran out, when a
            // logging system that starts then may not read its files.
            System.err.println("rpc-parallel worker '" + workerName + "': a check said " + suspicion
                    + ", but the master is still there (out of file descriptors?); a passing fault, not a death");
        }
        confirming = false;
    }

    /**
     * Whether the process table lists {@code pid}, by a {@code stat} of {@code /proc/PID}, which
     * needs no file descriptor. False where there is no {@code /proc}: there the process check
     * itself needs none.
     */
    private static boolean processTableShows(long pid) {
        Path proc = Path.of("/proc");
        return Files.isDirectory(proc) && Files.exists(proc.resolve(Long.toString(pid)));
    }

    /**
     * Starts heartbeats on {@code masterLink}, or moves them to it; it is also the link probes
     * go on.
     */
    public void startHeartbeats(ClientConnection masterLink) {
        useLink(masterLink);
        if (heartbeats != null) {
            return;
        }
        long now = System.nanoTime();
        lastAnswer = now;
        pauses = new PauseDetector(interval, timeout, now);
        heartbeats = timer.scheduleWithFixedDelay(() -> guarded("heartbeat", this::heartbeat), interval.toMillis(),
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The link to the master, for probes, before heartbeats start. */
    public void useLink(ClientConnection masterLink) {
        this.link = masterLink;
    }

    private void heartbeat() {
        long now = System.nanoTime();
        long paused = pauses.tick(now);
        if (paused > 0) {
            System.err.println("rpc-parallel worker '" + workerName + "': this process was paused or starved for "
                    + TimeUnit.NANOSECONDS.toMillis(paused) + " ms; its master gets a fresh heartbeat timeout to answer");
        }
        long silent = pauses.silence(now, lastAnswer);
        if (silent > timeout.toNanos()) {
            listener.masterGone("its master did not answer heartbeats for " + TimeUnit.NANOSECONDS.toMillis(silent)
                    + " ms (timeout " + timeout.toMillis() + " ms)");
            return;
        }
        link.callRaw(BuiltinFunctions.HEARTBEAT, workerId.get().getBytes(UTF_8), HEARTBEAT)
                .thenRun(() -> lastAnswer = System.nanoTime());
    }

    /** A heartbeat whose future fails if the master has not answered within the heartbeat timeout. */
    private CompletableFuture<byte[]> probe(ClientConnection current) {
        CompletableFuture<byte[]> answer = current.callRaw(BuiltinFunctions.HEARTBEAT,
                workerId.get().getBytes(UTF_8), HEARTBEAT);
        ScheduledFuture<?> deadline = timer.schedule(() -> answer.completeExceptionally(new TimeoutException(
                "no answer within " + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((result, error) -> deadline.cancel(false));
        return answer;
    }

    /** Stops sending heartbeats; the lifeline and the process check go on. */
    public void stopHeartbeats() {
        ScheduledFuture<?> running = heartbeats;
        if (running != null) {
            running.cancel(false);
        }
    }

    /** Stops the process check and heartbeats: for a worker that outlives its master from now on. */
    public void stop() {
        stopHeartbeats();
        ScheduledFuture<?> checks = pidChecks;
        if (checks != null) {
            checks.cancel(false);
        }
    }

    /** Runs a periodic task so that a failure is reported and the next run still happens. */
    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            // Thrown out of a periodic task, it would silently cancel every later run.
            System.err.println("rpc-parallel worker '" + workerName + "': its master's " + what + " failed: " + e);
        }
    }
}
