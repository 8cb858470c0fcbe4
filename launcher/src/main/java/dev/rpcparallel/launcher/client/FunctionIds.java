package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.api.WorkerTypeMismatchException;
import dev.rpcparallel.launcher.registry.RegisteredType;

/**
 * A connection's function table: the wire id of each function handle of the worker's type.
 * Immutable.
 */
public abstract class FunctionIds {
    FunctionIds() {}

    /**
     * The id of {@code function} in the worker's type.
     *
     * @throws RuntimeException saying the type has no such function
     */
    abstract int idOf(WorkerFunction function);

    /** The functions of a registered worker type: a handle of another type or signature is refused. */
    public static FunctionIds of(RegisteredType type) {
        return new FunctionIds() {
            @Override
            int idOf(WorkerFunction function) {
                return type.function(function)
                        .orElseThrow(() -> new WorkerTypeMismatchException("Worker type '" + type.name()
                                + "' has no function " + function + " (its functions: " + type.functions().stream()
                                        .map(f -> f.function().toString()).toList() + ")"))
                        .id();
            }
        };
    }

    /**
     * No function at all: every call is refused with an {@link IllegalArgumentException} saying
     * {@code refusal} followed by the function (no lambda to link: a worker's link to its master
     * has these ids).
     */
    public static FunctionIds noneNaming(String refusal) {
        return new FunctionIds() {
            @Override
            int idOf(WorkerFunction function) {
                throw new IllegalArgumentException(refusal + function);
            }
        };
    }

    /** No function at all: every call is refused with an {@link IllegalArgumentException} saying {@code why}. */
    public static FunctionIds none(java.util.function.Function<WorkerFunction, String> why) {
        return new FunctionIds() {
            @Override
            int idOf(WorkerFunction function) {
                throw new IllegalArgumentException(why.apply(function));
            }
        };
    }
}
