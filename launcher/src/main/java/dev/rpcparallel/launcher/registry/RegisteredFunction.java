package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.api.WorkerFunction;

/**
 * A function of a registered worker type, with its wire id (1-based, in declaration order).
 *
 * @param id the function's number on the wire
 * @param function the function's handle: name, kind and codecs
 * @param implementation the body, run in the worker: the spi implementation interface of the
 *     function's kind ({@code RpcImplementation}, {@code PipeImplementation}, ...)
 */
public record RegisteredFunction(int id, WorkerFunction function, Object implementation) {

    public String name() {
        return function.name();
    }

    public FunctionKind kind() {
        return function.kind();
    }

    /** One line for fingerprints and listings: {@code 1 rpc count(record:...) -> i64}. */
    String describe() {
        return id + " " + kind().name().toLowerCase(java.util.Locale.ROOT) + " " + name() + function.signature();
    }
}
