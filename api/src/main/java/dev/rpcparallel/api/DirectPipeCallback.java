package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * Receives the elements of a direct pipe. Runs on a runtime thread, one call at a time, in the
 * order the worker wrote; never on the connection's reading thread, so a slow callback delays
 * its own pipe only, and may itself call on the connection. The worker does not wait for it:
 * when the bytes pushed and not yet taken by the callback would pass
 * {@link RpcSettings#directPipeQueueBytes()}, the pipe fails as "consumer too slow" and
 * {@link #onClosed} gets an {@link RpcParallelException} that names the function, the bound
 * and the setting that raises it (the elements still waiting for the callback are dropped).
 *
 * @param <E> the element type
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface DirectPipeCallback<E> {

    /**
     * An element arrived. An exception thrown here aborts the pipe and is given to
     * {@link #onClosed}.
     */
    void onElement(E element);

    /**
     * The pipe is closed; called once, and nothing follows. {@code error} is {@code null} when
     * the worker closed its writer, a {@link java.util.concurrent.CancellationException} when the
     * caller aborted it, a {@link RemoteException} when the worker's function threw, a
     * {@link ConnectionException} when the connection was lost, an {@link RpcParallelException}
     * when the callback was too slow.
     */
    default void onClosed(Throwable error) {}
}
