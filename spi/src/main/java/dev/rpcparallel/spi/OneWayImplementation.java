package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;

/**
 * The body of a one-way function. Runs on a worker thread; nothing is sent back. An exception
 * is a worker failure: logged to the worker's stderr and reported to its master.
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface OneWayImplementation<S, C, A> {
    void run(CallContext<S, C> context, A arg) throws Exception;
}
