package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.time.Duration;
import java.util.Optional;

/**
 * How one call is made: for now, its timeout. Immutable and thread-safe.
 *
 * <p>A call's <b>deadline</b> is the moment by which its caller wants the answer. It is the
 * earliest of:
 * <ul>
 *   <li>now plus the timeout given here, or, for a call given none ({@link #defaults()}), the
 *       settings' {@link RpcSettings#defaultCallTimeout() default call timeout} (for rpc calls and
 *       reverse pipes; streams get no default);</li>
 *   <li>the deadline of the call being served on the calling thread, when a worker function calls
 *       another worker: a nested call never outlives the call it serves.</li>
 * </ul>
 * When the deadline passes, the caller gets a {@link DeadlineExceededException} naming the
 * function, the worker and the deadline, and the worker is told to stop: the call is cancelled
 * there ({@code CallContext.isCancelled()}, its thread interrupted). The remaining time travels
 * with the call, so the worker knows its deadline too and cancels the call itself when it passes.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class CallOptions {
    private static final CallOptions DEFAULTS = new CallOptions(null, false);
    private static final CallOptions NO_TIMEOUT = new CallOptions(null, true);

    private final Duration timeout;
    private final boolean noTimeout;

    private CallOptions(Duration timeout, boolean noTimeout) {
        this.timeout = timeout;
        this.noTimeout = noTimeout;
    }

    /** No timeout of the call's own: the settings' default applies (if any), and an inherited deadline. */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A call that must be answered within {@code timeout} of its start.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static CallOptions timeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a call's timeout must be positive, not " + timeout);
        }
        return new CallOptions(timeout, false);
    }

    /**
     * A call without a timeout, even when the settings have a default call timeout. A deadline
     * inherited from the call being served on this thread still applies.
     */
    public static CallOptions noTimeout() {
        return NO_TIMEOUT;
    }

    /** The timeout given, if any. */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(timeout);
    }

    /** Whether the settings' default call timeout is ignored ({@link #noTimeout()}). */
    public boolean ignoresDefaultTimeout() {
        return noTimeout;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallOptions that && noTimeout == that.noTimeout
                && java.util.Objects.equals(timeout, that.timeout);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(timeout, noTimeout);
    }

    @Override
    public String toString() {
        return timeout != null ? "CallOptions[timeout=" + timeout.toMillis() + "ms]"
                : noTimeout ? "CallOptions[no timeout]" : "CallOptions[defaults]";
    }
}
