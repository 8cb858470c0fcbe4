package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import java.util.List;

/**
 * The handles of the test worker type {@code deadlines}: calls that wait to be cancelled and
 * report what they saw, under a key, through {@link #SEEN} (the side channel a test reads).
 */
public final class Deadlines {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("deadlines", Codecs.none(), Codecs.none());

    /** A worker and a key. */
    public record Target(WorkerRef worker, String key) {}

    /**
     * Records "started" under the key, then sleeps up to 60 s; if interrupted, records
     * "interrupted, cancelled=B, deadline=D" (D: whether the context had a deadline) and rethrows;
     * else answers "slept".
     */
    public static final RpcFunction<String, String> BLOCK = RpcFunction.of("block", Codecs.string(), Codecs.string());
    /** What was recorded under the key, or "" if nothing yet. */
    public static final RpcFunction<String, String> SEEN = RpcFunction.of("seen", Codecs.string(), Codecs.string());
    /** The time left to this call's deadline in microseconds, or -1 without one. */
    public static final RpcFunction<Void, Long> REMAINING = RpcFunction.of("remaining", Codecs.none(), Codecs.int64());
    /**
     * Its own time left in microseconds just before calling {@link #REMAINING} of the worker given
     * without a timeout (a nested call), then that call's answer: [outer, inner].
     */
    public static final RpcFunction<WorkerRef, List<Long>> REMAINING_VIA =
            RpcFunction.of("remainingVia", Codecs.workerRef(), Codecs.list(Codecs.int64()));
    /** Calls {@link #BLOCK} on the target, with the key, without a timeout of its own (a nested call). */
    public static final RpcFunction<Target, String> BLOCK_VIA =
            RpcFunction.of("blockVia", Codecs.record(Target.class), Codecs.string());
    /** Answers its argument. */
    public static final RpcFunction<String, String> PING = RpcFunction.of("ping", Codecs.string(), Codecs.string());
    /**
     * Writes 0, 1, 2, ... until cancelled; records under the key "produced N, stopped: HOW"
     * (HOW: cancelled or interrupted, and whether the context says cancelled).
     */
    public static final PipeFunction<String, Long> PRODUCE = PipeFunction.of("produce", Codecs.string(), Codecs.int64());
    /**
     * Pushes a tick every 10 ms, from another thread, until closed; then records under the key
     * "ticks closed: writer closed=B, context cancelled=B".
     */
    public static final DirectPipeFunction<String, Long> TICKS =
            DirectPipeFunction.of("ticks", Codecs.string(), Codecs.int64());
    /**
     * Sums the updates until they end, and answers the sum; if they fail, records under the key
     * (the query) "updates stopped after N: EXCEPTION CLASS, context cancelled=B".
     */
    public static final ReversePipeFunction<String, Long, Long> COLLECT =
            ReversePipeFunction.of("collect", Codecs.string(), Codecs.int64(), Codecs.int64());
    /** Pushes 0 until the argument, then closes. */
    public static final DirectPipeFunction<Long, Long> PUSH = DirectPipeFunction.of("push", Codecs.int64(), Codecs.int64());

    private Deadlines() {}
}
