package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A function to which the caller sends a query and then a stream of updates; the worker answers
 * once. Updates are flow-controlled like a pipe's elements: the caller sends at most a window
 * ahead of what the worker has consumed.
 *
 * <pre>{@code
 * public static final ReversePipeFunction<String, Long, Long> SUM =
 *         ReversePipeFunction.of("sum", Codecs.string(), Codecs.int64(), Codecs.int64());
 * ...
 * long total = connection.reversePipe(SUM, "numbers", List.of(1L, 2L, 3L).iterator());
 * }</pre>
 *
 * <p>Immutable. The name must be unique within its worker type.
 *
 * @param <Q> the query type
 * @param <U> the update type
 * @param <R> the result type
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ReversePipeFunction<Q, U, R> implements WorkerFunction {
    private final String name;
    private final Codec<Q> queryCodec;
    private final Codec<U> updateCodec;
    private final Codec<R> resultCodec;

    private ReversePipeFunction(String name, Codec<Q> queryCodec, Codec<U> updateCodec, Codec<R> resultCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(!name.isBlank(), "function name must not be blank");
        this.queryCodec = requireNonNull(queryCodec, "queryCodec");
        this.updateCodec = requireNonNull(updateCodec, "updateCodec");
        this.resultCodec = requireNonNull(resultCodec, "resultCodec");
    }

    public static <Q, U, R> ReversePipeFunction<Q, U, R> of(
            String name, Codec<Q> queryCodec, Codec<U> updateCodec, Codec<R> resultCodec) {
        return new ReversePipeFunction<>(name, queryCodec, updateCodec, resultCodec);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FunctionKind kind() {
        return FunctionKind.REVERSE_PIPE;
    }

    public Codec<Q> queryCodec() {
        return queryCodec;
    }

    public Codec<U> updateCodec() {
        return updateCodec;
    }

    public Codec<R> resultCodec() {
        return resultCodec;
    }

    @Override
    public String signature() {
        return "(" + queryCodec.name() + ", stream of " + updateCodec.name() + ") -> " + resultCodec.name();
    }

    @Override
    public String toString() {
        return "reverse pipe " + name + signature();
    }
}
