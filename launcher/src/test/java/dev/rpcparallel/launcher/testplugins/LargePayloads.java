package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import java.util.List;

/**
 * The handles of the test worker type {@code large-payloads}: a {@code byte[]} echo and what the
 * worker's JVM has allocated and collected, to pin how much memory a large payload costs.
 */
public final class LargePayloads {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("large-payloads", Codecs.none(), Codecs.none());

    /** Answers its argument, the same array. */
    public static final RpcFunction<byte[], byte[]> ECHO = RpcFunction.of("echo", Codecs.bytes(), Codecs.bytes());
    /** The worker JVM's {@link HeapCounters#now() heap counters}. */
    public static final RpcFunction<Void, List<Long>> HEAP_COUNTERS =
            RpcFunction.of("heapCounters", Codecs.none(), Codecs.list(Codecs.int64()));

    private LargePayloads() {}
}
