package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;

/**
 * The body of a state function: writes the initial state, then updates, to {@code out}, and
 * returns to end the updates. An exception before the initial state fails the caller's
 * {@code state} call; after it, it fails the update stream after the updates written before it.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface StateImplementation<S, C, A, T, U> {
    void run(CallContext<S, C> context, A arg, StateWriter<T, U> out) throws Exception;
}
