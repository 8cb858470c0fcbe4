package dev.rpcparallel.benchmarks;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;

/** The handles of the benchmark worker type {@code bench}, implemented by {@link BenchWorker}. */
public final class Bench {
    /** A worker that echoes; no init or connection arguments. */
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("bench", Codecs.none(), Codecs.none());

    /** Returns its argument: the round trip, throughput and bandwidth figures call it. */
    public static final RpcFunction<byte[], byte[]> ECHO = RpcFunction.of("echo", Codecs.bytes(), Codecs.bytes());

    /**
     * The numbers 0 until the argument, as a pipe (credit-based backpressure on): the pipe
     * streaming figure reads them.
     */
    public static final PipeFunction<Long, Long> COUNT = PipeFunction.of("count", Codecs.int64(), Codecs.int64());

    /** The worker's process id, to read its resident size from {@code /proc}. */
    public static final RpcFunction<Void, Long> PID = RpcFunction.of("pid", Codecs.none(), Codecs.int64());

    private Bench() {}
}
