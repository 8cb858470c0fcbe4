package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A function whose worker streams elements back to the caller, with backpressure: the worker
 * sends at most a window of elements ahead of what the caller has consumed
 * ({@link RemoteStream#WINDOW} elements and {@link RpcSettings#streamWindowBytes()} bytes), so a
 * slow consumer keeps both sides' memory bounded. The caller gets a {@link RemoteStream}; closing it cancels
 * the producer.
 *
 * <pre>{@code
 * public static final PipeFunction<Long, Long> COUNTDOWN =
 *         PipeFunction.of("countdown", Codecs.int64(), Codecs.int64());
 * ...
 * try (RemoteStream<Long> numbers = connection.pipe(COUNTDOWN, 5L)) {
 *     numbers.forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Immutable. The name must be unique within its worker type.
 *
 * @param <A> the argument type
 * @param <E> the element type
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PipeFunction<A, E> implements WorkerFunction {
    private final String name;
    private final Codec<A> argCodec;
    private final Codec<E> elementCodec;

    private PipeFunction(String name, Codec<A> argCodec, Codec<E> elementCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(!name.isBlank(), "function name must not be blank");
        this.argCodec = requireNonNull(argCodec, "argCodec");
        this.elementCodec = requireNonNull(elementCodec, "elementCodec");
    }

    public static <A, E> PipeFunction<A, E> of(String name, Codec<A> argCodec, Codec<E> elementCodec) {
        return new PipeFunction<>(name, argCodec, elementCodec);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionKind kind() {
        return FunctionKind.PIPE;
    }

    public Codec<A> argCodec() {
        return argCodec;
    }

    public Codec<E> elementCodec() {
        return elementCodec;
    }

    @Override
    public String signature() {
        return "(" + argCodec.name() + ") -> stream of " + elementCodec.name();
    }

    @Override
    public String toString() {
        return "pipe " + name + signature();
    }
}
