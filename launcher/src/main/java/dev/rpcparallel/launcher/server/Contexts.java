package dev.rpcparallel.launcher.server;

import dev.rpcparallel.spi.CallContext;

/** What a worker's typed methods need of their worker: a call's context, and its name for reports. */
interface Contexts {
    /** The context of a call starting on this thread, which binds it to the call it serves. */
    CallContext<Object, Object> context(Object connectionState);

    /** The worker's name for reports: {@code "worker 'w'"}. */
    String name();
}
