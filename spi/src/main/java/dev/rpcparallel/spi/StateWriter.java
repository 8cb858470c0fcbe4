package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;

/**
 * Where a state function writes its initial state, once and first, then its updates, with the
 * flow control of a {@link PipeWriter}.
 *
 * @param <S> the state type
 * @param <U> the update type
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface StateWriter<S, U> extends PipeWriter<U> {

    /**
     * Sends the initial state; the caller's {@code state} call returns with it.
     *
     * @throws IllegalStateException if called twice
     */
    void initialState(S state);

    /**
     * Sends an update.
     *
     * @throws IllegalStateException if the initial state has not been sent
     */
    @Override
    void write(U update);
}
