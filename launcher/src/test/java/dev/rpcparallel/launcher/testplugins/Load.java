package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;

/** The handles of the test worker type {@code load}: calls that weigh on a worker's heap and threads. */
public final class Load {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("load", Codecs.none(), Codecs.none());

    /** The length of the bytes given: a large argument. */
    public static final RpcFunction<byte[], Long> SIZE = RpcFunction.of("size", Codecs.bytes(), Codecs.int64());
    /** The length of the bytes given, after a second: a large argument that stays a while. */
    public static final RpcFunction<byte[], Long> SLOW_SIZE = RpcFunction.of("slowSize", Codecs.bytes(), Codecs.int64());
    /** Sleeps the argument's milliseconds, then answers the number of live threads of the worker's JVM. */
    public static final RpcFunction<Long, Integer> SLEEP_THEN_COUNT_THREADS =
            RpcFunction.of("sleepThenCountThreads", Codecs.int64(), Codecs.int32());
    /** The number of live threads of the worker's JVM. */
    public static final RpcFunction<Void, Integer> THREADS = RpcFunction.of("threads", Codecs.none(), Codecs.int32());
    /** The number of processors the worker's JVM sees. */
    public static final RpcFunction<Void, Integer> PROCESSORS = RpcFunction.of("processors", Codecs.none(), Codecs.int32());

    /**
     * Connects to the worker given (its own, in the tests) and calls its {@link #SLEEP_THEN_COUNT_THREADS}
     * with the argument's milliseconds: a call that waits for another call of the same worker.
     */
    public static final RpcFunction<Via, Integer> VIA = RpcFunction.of("via", Codecs.record(Via.class), Codecs.int32());

    /** The worker to call, and how long its call sleeps. */
    public record Via(WorkerRef worker, long millis) {}

    /** That many bytes: a large result. */
    public static final RpcFunction<Integer, byte[]> BYTES = RpcFunction.of("bytes", Codecs.int32(), Codecs.bytes());
    /**
     * Connects to the worker given, calls its {@link #BYTES}, then its {@link #SIZE} on the same
     * connection: "received N" or "failed: MESSAGE", then "; then SIZE".
     */
    public static final RpcFunction<Fetch, String> FETCH = RpcFunction.of("fetch", Codecs.record(Fetch.class), Codecs.string());

    /** The worker to fetch from, how many bytes, and bytes that only make the argument large. */
    public record Fetch(WorkerRef worker, int bytes, byte[] padding) {}

    private Load() {}
}
