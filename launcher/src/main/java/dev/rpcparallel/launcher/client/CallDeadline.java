package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.DeadlineExceededException;
import dev.rpcparallel.launcher.protocol.CallThreads;
import dev.rpcparallel.launcher.protocol.Messages;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one outgoing call, and where it came from: the call's own timeout, the
 * settings' default, or the call being served on the calling thread (see {@link CallOptions}).
 *
 * @param atNanos the deadline, in {@link System#nanoTime()} terms
 * @param budget the time the call had from its start
 * @param source where the deadline came from, for the error: empty for the call's own timeout
 */
record CallDeadline(long atNanos, Duration budget, String source) {

    /**
     * The deadline of a call started now, or {@code null} for none.
     *
     * @param settingsDefault the settings' default call timeout, or {@code null} where it does
     *     not apply (streams) or there is none
     */
    static CallDeadline of(CallOptions options, Duration settingsDefault) {
        CallDeadline own = null;
        if (options.callTimeout().isPresent()) {
            Duration timeout = options.callTimeout().get();
            own = new CallDeadline(System.nanoTime() + saturatedNanos(timeout), timeout, "");
        } else if (settingsDefault != null && !options.ignoresDefaultTimeout()) {
            own = new CallDeadline(System.nanoTime() + saturatedNanos(settingsDefault), settingsDefault,
                    " (the default call timeout of the settings)");
        }
        CallThreads.Served serving = CallThreads.served();
        if (serving == null || !serving.hasDeadline()
                || (own != null && own.atNanos - serving.deadlineNanos() <= 0)) {
            return own; // the common case, no deadline anywhere: no clock read
        }
        long now = System.nanoTime();
        return new CallDeadline(serving.deadlineNanos(), Duration.ofNanos(Math.max(0, serving.deadlineNanos() - now)),
                " (the time left of " + serving.label() + ", which made the call)");
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // centuries: no deadline in practice, and no overflow
        }
    }

    /** The time left, in nanoseconds; zero or less once passed. */
    long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    /** The payload of the call's {@code DEADLINE} frame: the time left, in microseconds. */
    byte[] encodeRemaining() {
        return Messages.DEADLINE.encode(Math.max(0, TimeUnit.NANOSECONDS.toMicros(remainingNanos())));
    }

    /** The failure of {@code what} (such as {@code "function 'f'"}) on a worker, past this deadline. */
    DeadlineExceededException exceeded(String what, String workerName) {
        return new DeadlineExceededException("Call of " + what + " on worker '" + workerName
                + "' exceeded its deadline of " + describe(budget) + source
                + "; the worker was told to cancel it", workerName, what, budget);
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis >= 10_000 && millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
