package dev.rpcparallel.sample.tour;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerType;
import java.util.List;

/** The handles of the {@code tour} worker type: one function of every kind. */
public final class Tour {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("tour", Codecs.none(), Codecs.none());

    /** rpc: the square of a number. */
    public static final RpcFunction<Long, Long> SQUARE = RpcFunction.of("square", Codecs.int64(), Codecs.int64());
    /** pipe: counts down from n to 1. */
    public static final PipeFunction<Long, Long> COUNTDOWN = PipeFunction.of("countdown", Codecs.int64(), Codecs.int64());
    /** direct pipe: a tick every 20 ms until aborted. */
    public static final DirectPipeFunction<Void, Long> TICKS = DirectPipeFunction.of("ticks", Codecs.none(), Codecs.int64());
    /** Whether the writer of the last {@link #TICKS} saw the caller's abort. */
    public static final RpcFunction<Void, Boolean> TICKS_CLOSED = RpcFunction.of("ticksClosed", Codecs.none(), Codecs.bool());
    /** one-way: remembers a word. */
    public static final OneWayFunction<String> REMEMBER = OneWayFunction.of("remember", Codecs.string());
    /** The words remembered. */
    public static final RpcFunction<Void, List<String>> REMEMBERED =
            RpcFunction.of("remembered", Codecs.none(), Codecs.list(Codecs.string()));
    /** reverse pipe: sums the numbers the caller streams. */
    public static final ReversePipeFunction<String, Long, Long> SUM =
            ReversePipeFunction.of("sum", Codecs.string(), Codecs.int64(), Codecs.int64());
    /** state: a counter's value, then the argument's count of increments. */
    public static final StateFunction<Long, Long, Long> COUNTER =
            StateFunction.of("counter", Codecs.int64(), Codecs.int64(), Codecs.int64());
    /** Logs a message at INFO. */
    public static final RpcFunction<String, Void> LOG = RpcFunction.of("log", Codecs.string(), Codecs.none());

    private Tour() {}
}
