package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * A function of a worker type, of any {@link FunctionKind}: {@link RpcFunction},
 * {@link PipeFunction}, {@link DirectPipeFunction}, {@link OneWayFunction},
 * {@link ReversePipeFunction} or {@link StateFunction}. Handles are immutable values declared
 * as constants and shared by master and worker code.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface WorkerFunction {

    /** The function's name, unique within its worker type. */
    String name();

    /** How the function is called. */
    FunctionKind kind();

    /**
     * The codecs of the function, in a readable form such as {@code (i64) -> string}: with the
     * name and kind, what the registry fingerprint covers.
     */
    String signature();
}
