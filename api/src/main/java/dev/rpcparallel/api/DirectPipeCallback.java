package dev.rpcparallel.api;

/**
 * Receives the elements of a direct pipe. Runs on the connection's reading thread, one call at
 * a time, in the order the worker wrote: keep it short, or hand the work to another thread
 * (a slow callback delays every other call and stream of the connection). A blocking call made
 * here (to this worker or another) works: the connection reads on with another thread meanwhile,
 * and this pipe's later elements wait for the callback to return (those still waiting when the
 * pipe is aborted, or fails here, are dropped).
 *
 * @param <E> the element type
 */
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
     * {@link ConnectionException} when the connection was lost.
     */
    default void onClosed(Throwable error) {}
}
