package dev.rpcparallel.launcher.worker;

import dev.rpcparallel.launcher.fork.WorkerExit;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a {@code CALLED_SHUTDOWN} worker is held by a spawn that returned, decided once
 * between its main thread, which registers, and the watch of its master, which may learn of the
 * master's end at any moment. A worker whose master ends before it sends its registration is
 * held by nobody and exits. Once the registration is sent, its answer decides: the master lets the
 * spawn return only after it wrote that answer, and the end of its stdin or process can reach the
 * worker before the answer does (two descriptors, read by two threads). A worker that exited then
 * would be gone though its spawn had returned; it waits for the answer instead. Thread-safe.
 */
final class OutlivingRegistration {
    /** What the master's end means for the worker now. */
    enum Verdict {
        /** Its registration was not sent: nobody holds it, it exits. */
        EXIT,
        /** Its registration was sent: it stays if the answer comes, and exits if it does not. */
        AWAIT_ANSWER,
        /** Its registration was answered: its spawn returned, and it outlives its master. */
        STAY
    }

    private static final int STARTING = 0;
    private static final int SENT = 1;
    private static final int ANSWERED = 2;
    private static final int ABANDONED = 3;

    private final AtomicInteger phase = new AtomicInteger(STARTING);

    /**
     * The registration is about to be sent.
     *
     * @return false if the master's end was reported first: the worker is exiting, and sends nothing
     */
    boolean sending() {
        return phase.compareAndSet(STARTING, SENT);
    }

    /** The registration's answer came: from now on the worker outlives its master. */
    void answered() {
        phase.set(ANSWERED);
    }

    /** Whether the registration's answer came. */
    boolean isAnswered() {
        return phase.get() == ANSWERED;
    }

    /**
     * After {@link Verdict#AWAIT_ANSWER}: exits the process unless the answer has come within
     * {@code timeout} (a master whose host vanished may leave the link open without answering).
     */
    void exitUnlessAnswered(ScheduledExecutorService timer, Duration timeout, String workerName, String why) {
        timer.schedule(() -> {
            if (!isAnswered()) {
                WorkerExit.exit(WorkerExit.MASTER_GONE, "rpc-parallel worker '" + workerName + "': " + why
                        + ", and its registration was not answered within " + timeout.toMillis() + " ms; exiting");
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watch reports the master's end. */
    Verdict masterGone() {
        if (phase.compareAndSet(STARTING, ABANDONED)) {
            return Verdict.EXIT;
        }
        return switch (phase.get()) {
            case SENT -> Verdict.AWAIT_ANSWER;
            case ANSWERED -> Verdict.STAY;
            default -> Verdict.EXIT; // reported before, and exiting
        };
    }
}
