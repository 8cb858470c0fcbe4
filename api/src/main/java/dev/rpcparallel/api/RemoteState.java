package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * The answer of a {@link StateFunction}: the worker's initial state, then a stream of updates
 * to it. Closing it cancels the updates.
 *
 * @param <S> the state type
 * @param <U> the update type
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface RemoteState<S, U> extends AutoCloseable {

    /** The state the worker answered first. */
    S initialState();

    /** The updates that follow the initial state; consume them once. */
    RemoteStream<U> updates();

    /** Cancels the updates. Idempotent. */
    @Override
    void close();
}
