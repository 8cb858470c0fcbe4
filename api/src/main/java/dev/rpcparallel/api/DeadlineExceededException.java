package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.time.Duration;

/**
 * A call (or stream) was not answered by its deadline (see {@link CallOptions}). The message
 * names the function, the worker and the deadline, and where the deadline came from (the call's
 * own timeout, the settings' default, or the call being served when the call was made). The
 * worker was told to cancel the call.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class DeadlineExceededException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    private final String workerName;
    private final String function;
    private final Duration deadline;

    /**
     * @param workerName the worker called
     * @param function what was called, such as {@code "function 'sleep'"}
     * @param deadline the time the call had, from its start to its deadline
     */
    public DeadlineExceededException(String message, String workerName, String function, Duration deadline) {
        super(message);
        this.workerName = requireNonNull(workerName, "workerName");
        this.function = requireNonNull(function, "function");
        this.deadline = requireNonNull(deadline, "deadline");
    }

    /** The name of the worker called. */
    public String workerName() {
        return workerName;
    }

    /** What was called, such as {@code "function 'sleep'"}. */
    public String function() {
        return function;
    }

    /** The time the call had, from its start to its deadline. */
    public Duration deadline() {
        return deadline;
    }
}
