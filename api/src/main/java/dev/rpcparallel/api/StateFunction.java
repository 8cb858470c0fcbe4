package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A function whose worker answers an initial state, then streams updates to it (with the
 * backpressure of a pipe). The caller gets a {@link RemoteState}.
 *
 * <pre>{@code
 * public static final StateFunction<Void, Long, Long> COUNTER =
 *         StateFunction.of("counter", Codecs.none(), Codecs.int64(), Codecs.int64());
 * ...
 * try (RemoteState<Long, Long> counter = connection.state(COUNTER, null)) {
 *     long value = counter.initialState();
 *     for (long delta : counter.updates()) { value += delta; }
 * }
 * }</pre>
 *
 * <p>Immutable. The name must be unique within its worker type.
 *
 * @param <A> the argument type
 * @param <S> the state type
 * @param <U> the update type
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class StateFunction<A, S, U> implements WorkerFunction {
    private final String name;
    private final Codec<A> argCodec;
    private final Codec<S> stateCodec;
    private final Codec<U> updateCodec;

    private StateFunction(String name, Codec<A> argCodec, Codec<S> stateCodec, Codec<U> updateCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(!name.isBlank(), "function name must not be blank");
        this.argCodec = requireNonNull(argCodec, "argCodec");
        this.stateCodec = requireNonNull(stateCodec, "stateCodec");
        this.updateCodec = requireNonNull(updateCodec, "updateCodec");
    }

    public static <A, S, U> StateFunction<A, S, U> of(
            String name, Codec<A> argCodec, Codec<S> stateCodec, Codec<U> updateCodec) {
        return new StateFunction<>(name, argCodec, stateCodec, updateCodec);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionKind kind() {
        return FunctionKind.STATE;
    }

    public Codec<A> argCodec() {
        return argCodec;
    }

    public Codec<S> stateCodec() {
        return stateCodec;
    }

    public Codec<U> updateCodec() {
        return updateCodec;
    }

    @Override
    public String signature() {
        return "(" + argCodec.name() + ") -> " + stateCodec.name() + " then stream of " + updateCodec.name();
    }

    @Override
    public String toString() {
        return "state " + name + signature();
    }
}
