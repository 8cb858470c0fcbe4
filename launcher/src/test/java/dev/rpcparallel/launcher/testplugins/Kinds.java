package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import java.util.List;

/** The handles of the test worker type {@code kinds}: one or more functions of every kind. */
public final class Kinds {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("kinds", Codecs.none(), Codecs.none());

    /** The length of the bytes given: a large argument. */
    public static final RpcFunction<byte[], Long> LENGTH = RpcFunction.of("length", Codecs.bytes(), Codecs.int64());
    /** Answers its argument: a small call. */
    public static final RpcFunction<String, String> PING = RpcFunction.of("ping", Codecs.string(), Codecs.string());

    /** Sleeps the argument's milliseconds, then answers them: a long call. */
    public static final RpcFunction<Long, Long> SLEEP = RpcFunction.of("sleep", Codecs.int64(), Codecs.int64());
    /** Waits the argument's microseconds (parked, not busy), then answers them: a call slower than a quick one. */
    public static final RpcFunction<Long, Long> PAUSE = RpcFunction.of("pause", Codecs.int64(), Codecs.int64());
    /**
     * Waits (up to 60 s) until a {@link #NOTE} equal to the argument arrives, then answers
     * whether it did: a call that needs a later frame of its own connection.
     */
    public static final RpcFunction<String, Boolean> AWAIT_NOTE =
            RpcFunction.of("awaitNote", Codecs.string(), Codecs.bool());
    /** Connects to the worker given and calls its {@link #PING} with "via": a nested call. */
    public static final RpcFunction<WorkerRef, String> PING_VIA =
            RpcFunction.of("pingVia", Codecs.workerRef(), Codecs.string());

    /** The numbers 0 until the argument. */
    public static final PipeFunction<Long, Long> NUMBERS = PipeFunction.of("numbers", Codecs.int64(), Codecs.int64());
    /** A 100-character text per element, as fast as credit allows, the argument's count of them. */
    public static final PipeFunction<Long, String> TEXTS = PipeFunction.of("texts", Codecs.int64(), Codecs.string());
    /** Elements 0, 1, ... until cancelled; records the cancellation in the worker state. */
    public static final PipeFunction<Void, Long> ENDLESS = PipeFunction.of("endless", Codecs.none(), Codecs.int64());
    /** Whether the last {@link #ENDLESS} saw its cancellation. */
    public static final RpcFunction<Void, Boolean> ENDLESS_CANCELLED =
            RpcFunction.of("endlessCancelled", Codecs.none(), Codecs.bool());
    /** The argument's count of elements, then an exception. */
    public static final PipeFunction<Long, Long> FAIL_AFTER = PipeFunction.of("failAfter", Codecs.int64(), Codecs.int64());
    /** Connects to the worker given, sums its {@link #NUMBERS} up to 1000 (a pipe consumed by a worker). */
    public static final RpcFunction<WorkerRef, Long> SUM_NUMBERS_OF =
            RpcFunction.of("sumNumbersOf", Codecs.workerRef(), Codecs.int64());

    /** A tick every 10 ms from another thread until aborted; records the close in the worker state. */
    public static final DirectPipeFunction<String, String> TICKS =
            DirectPipeFunction.of("ticks", Codecs.string(), Codecs.string());
    /** Whether the writer of the last {@link #TICKS} saw its close. */
    public static final RpcFunction<Void, Boolean> TICKS_CLOSED = RpcFunction.of("ticksClosed", Codecs.none(), Codecs.bool());
    /** Pushes the argument's count of elements, then closes. */
    public static final DirectPipeFunction<Long, Long> PUSH = DirectPipeFunction.of("push", Codecs.int64(), Codecs.int64());

    /** Adds its argument to the worker's notes; {@code "fail"} throws. */
    public static final OneWayFunction<String> NOTE = OneWayFunction.of("note", Codecs.string());
    /** The worker's notes. */
    public static final RpcFunction<Void, List<String>> NOTES =
            RpcFunction.of("notes", Codecs.none(), Codecs.list(Codecs.string()));

    /** The query, then the sum of the updates: {@code "sum: 5050"}; query {@code "first"} answers after one. */
    public static final ReversePipeFunction<String, Long, String> SUM =
            ReversePipeFunction.of("sum", Codecs.string(), Codecs.int64(), Codecs.string());

    /** State: the worker's counter, then its argument's count of increments. */
    public static final StateFunction<Long, Long, Long> COUNTER =
            StateFunction.of("counter", Codecs.int64(), Codecs.int64(), Codecs.int64());

    /** Logs its argument at INFO through Log4j2. */
    public static final RpcFunction<String, Void> LOG = RpcFunction.of("log", Codecs.string(), Codecs.none());

    /** Who a worker is: its pid and the marker naming its parent. */
    public record Lineage(long pid, String parent) {}

    /** Spawns a child of this type, which spawns its own, to the depth given; the lineages, this one first. */
    public static final RpcFunction<Integer, List<Lineage>> CHAIN =
            RpcFunction.of("chain", Codecs.int32(), Codecs.list(Codecs.record(Lineage.class)));

    private Kinds() {}
}
