package dev.rpcparallel.transport.unix;

import java.time.Instant;
import java.util.Optional;

/**
 * The process that owns a directory of socket files: its PID and start time, written into the
 * directory's name as {@code PID-STARTMILLIS}, so that a later process can tell the directory of
 * a process that is gone (killed with SIGKILL, say) from one in use, and delete it. The start
 * time tells a reused PID from its first owner. (The launcher judges its own leftover files the
 * same way; a transport does not depend on the launcher, so it has this small copy of the rule.)
 */
record SocketOwner(long pid, long startMillis) {
    /** Two readings of one process's start time may differ by the clock's tick; a reused PID by far more. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    /** This JVM. */
    static SocketOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new SocketOwner(self.pid(), self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** {@code PID-STARTMILLIS}: digits and a dash, safe in a file name. */
    String tag() {
        return pid + "-" + startMillis;
    }

    /** The owner a {@link #tag()} names, if {@code name} is exactly one. */
    static Optional<SocketOwner> parse(String name) {
        String[] parts = name.split("-", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SocketOwner(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this owner has exited: no live process has its PID, or the one that has it started
     * at another time (the PID was reused). A start time of 0 (unknown) is judged by the PID alone.
     */
    boolean isGone() {
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
