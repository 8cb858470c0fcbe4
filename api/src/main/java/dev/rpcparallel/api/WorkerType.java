package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.util.regex.Pattern;

/**
 * Names a worker type and the codecs of its two initialisation arguments: the one given to
 * {@link Parallel#spawn} (worker state) and the one given to {@link Parallel#connect} (connection
 * state). A plugin exposes its type as a constant so masters can spawn it with type-checked
 * arguments:
 *
 * <pre>{@code
 * public static final WorkerType<Void, Void> TYPE =
 *         WorkerType.of("primes", Codecs.none(), Codecs.none());
 * WorkerRef worker = Parallel.spawn(Primes.TYPE, null, SpawnOptions.defaults());
 * }</pre>
 *
 * <p>The name is the plugin's stable id: letters, digits, {@code -}, {@code _} and {@code .},
 * starting with a letter. Immutable.
 *
 * @param <I> the worker-state init argument
 * @param <A> the connection-state init argument
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class WorkerType<I, A> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

    private final String name;
    private final Codec<I> initArgCodec;
    private final Codec<A> connectionArgCodec;

    private WorkerType(String name, Codec<I> initArgCodec, Codec<A> connectionArgCodec) {
        this.name = requireNonNull(name, "name");
        Arguments.check(NAME.matcher(name).matches(),
                "worker type name '%s' is not valid: use 1 to 64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter", name);
        this.initArgCodec = requireNonNull(initArgCodec, "initArgCodec");
        this.connectionArgCodec = requireNonNull(connectionArgCodec, "connectionArgCodec");
    }

    public static <I, A> WorkerType<I, A> of(String name, Codec<I> initArgCodec, Codec<A> connectionArgCodec) {
        return new WorkerType<>(name, initArgCodec, connectionArgCodec);
    }

    public String name() {
        return name;
    }

    public Codec<I> initArgCodec() {
        return initArgCodec;
    }

    public Codec<A> connectionArgCodec() {
        return connectionArgCodec;
    }

    @Override
    public String toString() {
        return "worker type " + name;
    }
}
