package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/** The kinds of worker functions; the kind is part of the registry fingerprint. */
@API(status = API.Status.STABLE, since = "0.1")
public enum FunctionKind {
    /** One request, one response: {@link RpcFunction}. */
    RPC,
    /** The worker streams elements to the caller, with backpressure: {@link PipeFunction}. */
    PIPE,
    /** The worker pushes elements to a caller's callback; abortable: {@link DirectPipeFunction}. */
    DIRECT_PIPE,
    /** Fire and forget: {@link OneWayFunction}. */
    ONE_WAY,
    /** The caller streams updates after a query; the worker answers once: {@link ReversePipeFunction}. */
    REVERSE_PIPE,
    /** The worker answers an initial state, then streams updates: {@link StateFunction}. */
    STATE
}
