package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * A worker was used as something it is not: a call names a function its worker type does not
 * have (a function of another type, or one declared with other codecs than the worker's), or
 * {@link Parallel#connect(WorkerRef, WorkerType, Object)} names another type than the
 * {@link WorkerRef}'s. Thrown on the caller's side before anything is sent; the connection
 * stays usable. The message names the worker type and what it has instead.
 *
 * <p>This is a programming error, like an {@link IllegalArgumentException}, but it belongs to
 * the library's hierarchy: one {@code catch (RpcParallelException e)} covers it.
 */
@API(status = API.Status.STABLE, since = "0.1")
public class WorkerTypeMismatchException extends RpcParallelException {
    private static final long serialVersionUID = 1L;

    public WorkerTypeMismatchException(String message) {
        super(message);
    }
}
