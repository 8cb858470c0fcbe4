package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A fire-and-forget function: the caller sends the argument and does not wait. No result and
 * no exception come back; an exception thrown by the implementation is a failure of the
 * worker, logged to its stderr and reported to its master, never silently dropped.
 *
 * <pre>{@code
 * public static final OneWayFunction<String> REMEMBER = OneWayFunction.of("remember", Codecs.string());
 * ...
 * connection.oneWay(REMEMBER, "hello");
 * }</pre>
 *
 * <p>Immutable. The name must be unique within its worker type.
 *
 * @param <A> the argument type
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class OneWayFunction<A> implements WorkerFunction {
    private final String name;
    private final Codec<A> argCodec;

    private OneWayFunction(String name, Codec<A> argCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(!name.isBlank(), "function name must not be blank");
        this.argCodec = requireNonNull(argCodec, "argCodec");
    }

    public static <A> OneWayFunction<A> of(String name, Codec<A> argCodec) {
        return new OneWayFunction<>(name, argCodec);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionKind kind() {
        return FunctionKind.ONE_WAY;
    }

    public Codec<A> argCodec() {
        return argCodec;
    }

    @Override
    public String signature() {
        return "(" + argCodec.name() + ")";
    }

    @Override
    public String toString() {
        return "one-way " + name + signature();
    }
}
