package dev.rpcparallel.launcher.fork;

import java.time.Instant;
import java.util.Optional;

/**
 * The process that owns a file this library leaves on disk for a while (a worker's class-path
 * argfile, a CDS archive being made and its lock): its PID and start time, written into the
 * file's name or content as {@code PID-STARTMILLIS}, so that any later process can tell a file
 * whose owner is gone (killed, say) from one still in use, and delete it. The start time tells a
 * reused PID from its first owner.
 */
public record OwnerProcess(long pid, long startMillis) {
    /** Two readings of one process's start time may differ by the clock's tick; a reused PID by far more. */
    private static final long START_TOLERANCE_MILLIS = 1_000;
    private static final OwnerProcess CURRENT = of(ProcessHandle.current());

    /** This JVM. */
    public static OwnerProcess current() {
        return CURRENT;
    }

    static OwnerProcess of(ProcessHandle process) {
        return new OwnerProcess(process.pid(), process.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** {@code PID-STARTMILLIS}: digits and a dash, safe in a file name. */
    public String tag() {
        return pid + "-" + startMillis;
    }

    /** The owner a {@link #tag()} names, if {@code text} starts with one (anything may follow it). */
    public static Optional<OwnerProcess> parse(String text) {
        String[] parts = text.trim().split("-", 3);
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OwnerProcess(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this owner has exited: no process has its PID, or the one that has it started at
     * another time (the PID was reused). A start time of 0 (unknown) is judged by the PID alone.
     */
    public boolean isGone() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        if (startMillis == 0) {
            return false;
        }
        return process.get().info().startInstant()
                .map(start -> Math.abs(start.toEpochMilli() - startMillis) > START_TOLERANCE_MILLIS)
                .orElse(false);
    }
}
