package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.api.WorkerFunction;

/**
 * A function of a registered worker type, with its wire id (1-based, in declaration order).
 *
 * @param id the function's number on the wire
 * @param binding the function's handle bound to its implementation, the body run in the worker
 */
public record RegisteredFunction(int id, FunctionBinding binding) {

    /** The function's handle: name, kind and codecs. */
    public WorkerFunction function() {
        return binding.function();
    }

    public String name() {
        return function().name();
    }

    public FunctionKind kind() {
        return function().kind();
    }

    /** One line for fingerprints and listings: {@code 1 rpc count(record:...) -> i64}. */
    String describe() {
        return id + " " + kind().name().toLowerCase(java.util.Locale.ROOT) + " " + name() + function().signature();
    }
}
