package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A function whose worker pushes elements to a callback of the caller, like a pipe without
 * backpressure: the worker's writer never waits. The caller can abort the pipe by its
 * {@link DirectPipeId}; the worker's writer then sees the close. Use a {@link PipeFunction}
 * when the producer can outrun the consumer.
 *
 * <pre>{@code
 * public static final DirectPipeFunction<Void, String> TICKS =
 *         DirectPipeFunction.of("ticks", Codecs.none(), Codecs.string());
 * ...
 * DirectPipeId id = connection.directPipe(TICKS, null, tick -> System.out.println(tick));
 * connection.abort(id);
 * }</pre>
 *
 * <p>Immutable. The name must be unique within its worker type.
 *
 * @param <A> the argument type
 * @param <E> the element type
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class DirectPipeFunction<A, E> implements WorkerFunction {
    private final String name;
    private final Codec<A> argCodec;
    private final Codec<E> elementCodec;

    private DirectPipeFunction(String name, Codec<A> argCodec, Codec<E> elementCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(!name.isBlank(), "function name must not be blank");
        this.argCodec = requireNonNull(argCodec, "argCodec");
        this.elementCodec = requireNonNull(elementCodec, "elementCodec");
    }

    public static <A, E> DirectPipeFunction<A, E> of(String name, Codec<A> argCodec, Codec<E> elementCodec) {
        return new DirectPipeFunction<>(name, argCodec, elementCodec);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionKind kind() {
        return FunctionKind.DIRECT_PIPE;
    }

    public Codec<A> argCodec() {
        return argCodec;
    }

    public Codec<E> elementCodec() {
        return elementCodec;
    }

    @Override
    public String signature() {
        return "(" + argCodec.name() + ") -> direct stream of " + elementCodec.name();
    }

    @Override
    public String toString() {
        return "direct pipe " + name + signature();
    }
}
