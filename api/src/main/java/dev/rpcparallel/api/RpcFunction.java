package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A request/response function of a worker type: its name and the codecs of its argument and
 * result. A plugin declares it as a constant, the worker implements it, and the master calls it
 * through a {@link Connection}:
 *
 * <pre>{@code
 * public static final RpcFunction<Range, Long> COUNT =
 *         RpcFunction.of("count", Codecs.record(Range.class), Codecs.int64());
 * ...
 * long n = connection.call(COUNT, new Range(0, 1_000_000));
 * }</pre>
 *
 * <p>Immutable. The name must be unique within its worker type.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class RpcFunction<A, R> implements WorkerFunction {
    private final String name;
    private final Codec<A> argCodec;
    private final Codec<R> resultCodec;

    private RpcFunction(String name, Codec<A> argCodec, Codec<R> resultCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(!name.isBlank(), "function name must not be blank");
        this.argCodec = requireNonNull(argCodec, "argCodec");
        this.resultCodec = requireNonNull(resultCodec, "resultCodec");
    }

    public static <A, R> RpcFunction<A, R> of(String name, Codec<A> argCodec, Codec<R> resultCodec) {
        return new RpcFunction<>(name, argCodec, resultCodec);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionKind kind() {
        return FunctionKind.RPC;
    }

    public Codec<A> argCodec() {
        return argCodec;
    }

    public Codec<R> resultCodec() {
        return resultCodec;
    }

    @Override
    public String signature() {
        return "(" + argCodec.name() + ") -> " + resultCodec.name();
    }

    @Override
    public String toString() {
        return "rpc " + name + signature();
    }
}
