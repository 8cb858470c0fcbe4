package dev.rpcparallel.launcher.server;

import dev.rpcparallel.spi.transport.FrameChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Calls run on a connection's reading thread, so that a short call costs no thread hand-off,
 * and the watchdog that keeps a long one from holding up the connection: a call still running
 * after {@link #LIMIT_NANOS} keeps its thread, and the channel starts a new reading thread
 * ({@link FrameChannel#handOffReading()}) for the frames after it. So a slow function, one
 * that waits for another frame of its own connection, or one blocked writing its answer holds
 * up the connection's other calls by about {@link #LIMIT_NANOS} at most, never for good.
 *
 * <p>One watchdog thread per process looks at the running calls when the oldest of them reaches
 * the limit, not on a fixed tick: it sleeps until the limit of the oldest call running at its
 * last look, or for a whole limit if none was running (a call that starts after a look reaches
 * its limit no sooner). So back-to-back short calls wake it about once per limit, and a call is
 * handed off {@link #LIMIT_NANOS} after its start plus the wake-up's delay. Each wake-up is a
 * context switch on a processor the calls' threads may need: a tick of a millisecond fell in
 * the middle of two to four in a hundred 20 µs calls, most of the slowest of them. It sleeps for
 * good once no call has run inline for {@link #IDLE_NANOS}, and the next one wakes it. Calls
 * that follow each other closer than that cost no wake-up; a process that is only called now
 * and then (a master answering its workers' heartbeats once a second) is not woken in between.
 * Once no call has run inline for {@link #KEEP_ALIVE_NANOS} the thread ends, and the
 * next call starts another: an idle worker keeps no thread that has nothing to watch, and the
 * start (tens of microseconds) is paid at most once per keep-alive.
 */
final class InlineCalls {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(InlineCalls.class);
    }

    /** How long a call may run on the reading thread before another thread reads on. */
    static final long LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long the watchdog keeps looking after the last inline call before it sleeps for good. */
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long the watchdog thread outlives the last inline call before it ends. */
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The watchdog thread's name. */
    static final String WATCHDOG_NAME = "rpc-parallel-inline-call-watchdog";
    /**
     * Every this many starts (a power of two), a call takes the path that wakes the watchdog even
     * though it is awake, where it finds nothing to do ({@link #start}).
     */
    static final int WAKE_PATH_EVERY = 1024;

    private static final Set<Call> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Object WATCHDOG_LOCK = new Object();
    private static Thread watchdog;
    private static volatile boolean watchdogAsleep = true;
    private static volatile long lastStart;
    /** Starts counted for {@link #WAKE_PATH_EVERY}; racy on purpose (a lost count changes nothing). */
    private static int starts;

    private InlineCalls() {}

    /** One call running on a reading thread. */
    static final class Call {
        private static final int RUNNING_STATE = 0;
        private static final int DONE = 1;
        private static final int HANDED_OFF = 2;

        private final FrameChannel channel;
        private final Supplier<String> label;
        private final long startNanos = System.nanoTime();
        private int state = RUNNING_STATE;

        private Call(FrameChannel channel, Supplier<String> label) {
            this.channel = channel;
            this.label = label;
        }

        /**
         * Ends the call on its thread.
         *
         * @return whether the thread is still the channel's reader (false: it was handed off)
         */
        boolean finish() {
            RUNNING.remove(this);
            synchronized (this) {
                if (state == RUNNING_STATE) {
                    state = DONE;
                    return true;
                }
                return false;
            }
        }

        /** From the watchdog: lets another thread read on if the call is still running. */
        private void handOffIfRunning() {
            synchronized (this) {
                if (state != RUNNING_STATE) {
                    return;
                }
                state = HANDED_OFF;
                try {
                    // Under this lock: the call's thread cannot return to reading before the
                    // channel knows it is no longer the reader.
                    channel.handOffReading();
                } catch (RuntimeException | Error e) {
                    Log.LOG.error("Cannot start another reading thread for {} on {}; closing it", label.get(),
                            channel.remoteAddress(), e);
                    channel.close();
                }
            }
        }
    }

    /**
     * Starts watching a call about to run on the reading thread of {@code channel}, which must
     * {@linkplain FrameChannel#canHandOffReading() be able to hand reading off}.
     */
    static Call start(FrameChannel channel, Supplier<String> label) {
        Call call = new Call(channel, label);
        RUNNING.add(call);
        lastStart = call.startNanos;
        // The first call after a pause wakes the watchdog. Back-to-back calls never would, and C2
        // compiles a branch its profile never saw taken as a trap: the first call of the next
        // busy spell would throw away the compiled call path (ServerSession.onCall and all it
        // inlines) and send it back to the interpreter, to be compiled again while calls run.
        // Taking the waking path every WAKE_PATH_EVERY calls too keeps it in the profile, and
        // leaves wakeWatchdog a call too rare to be inlined into the call path.
        if (watchdogAsleep | (++starts & (WAKE_PATH_EVERY - 1)) == 0) {
            wakeWatchdog();
        }
        return call;
    }

    private static void wakeWatchdog() {
        synchronized (WATCHDOG_LOCK) {
            if (watchdog == null) {
                watchdog = new Thread(new Watchdog(), WATCHDOG_NAME);
                watchdog.setDaemon(true);
                watchdogAsleep = false;
                watchdog.start();
            } else if (watchdogAsleep) {
                watchdogAsleep = false;
                LockSupport.unpark(watchdog);
            }
        }
    }

    private static void watch() {
        while (true) {
            long now = System.nanoTime();
            // Until the oldest running call reaches the limit; a whole limit if none runs.
            long sleep = LIMIT_NANOS;
            for (Call call : RUNNING) {
                long age = now - call.startNanos;
                if (age >= LIMIT_NANOS) {
                    RUNNING.remove(call);
                    call.handOffIfRunning();
                } else {
                    sleep = Math.min(sleep, LIMIT_NANOS - age);
                }
            }
            if (RUNNING.isEmpty() && now - lastStart > IDLE_NANOS) {
                synchronized (WATCHDOG_LOCK) {
                    // Asleep first, then the look at RUNNING: a call that starts now either is
                    // seen here or sees watchdogAsleep, and wakes this thread or starts another.
                    watchdogAsleep = true;
                    if (!RUNNING.isEmpty()) {
                        watchdogAsleep = false;
                        continue;
                    }
                    if (now - lastStart > KEEP_ALIVE_NANOS) {
                        watchdog = null;
                        return;
                    }
                }
                // A spurious or early wake-up just loops.
                LockSupport.parkNanos(InlineCalls.class, KEEP_ALIVE_NANOS);
                watchdogAsleep = false;
            } else {
                LockSupport.parkNanos(InlineCalls.class, sleep);
            }
        }
    }

    /** Whether the watchdog sleeps until the next call wakes it, for tests. */
    static boolean watchdogAsleep() {
        return watchdogAsleep;
    }

    /** Whether the watchdog thread runs now (asleep or ticking), for tests. */
    static boolean watchdogRunning() {
        synchronized (WATCHDOG_LOCK) {
            return watchdog != null;
        }
    }

    /** The watchdog thread's loop ({@link #watch}): a named class, not a lambda to link at the first call. */
    private static final class Watchdog implements Runnable {
        @Override
        public void run() {
            watch();
        }
    }
}
