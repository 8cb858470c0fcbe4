package dev.rpcparallel.api;

/**
 * A function of a worker type, of any {@link FunctionKind}: {@link RpcFunction},
 * {@link PipeFunction}, {@link DirectPipeFunction}, {@link OneWayFunction},
 * {@link ReversePipeFunction} or {@link StateFunction}. Handles are immutable values declared
 * as constants and shared by master and worker code.
 */
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
