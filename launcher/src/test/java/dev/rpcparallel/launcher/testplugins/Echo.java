package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import java.util.List;

/**
 * The handles of the test worker type {@code echo}. Its init argument is a prefix for echoes,
 * or a word that makes the init misbehave ({@code fail-init}, {@code exit-in-init},
 * {@code sleep-in-init}, {@code fill-heap-in-init}); its connection argument is a label, or {@code fail-connect}.
 */
public final class Echo {
    public static final WorkerType<String, String> TYPE = WorkerType.of("echo", Codecs.string(), Codecs.string());

    public record Pair(long left, long right) {}

    public static final RpcFunction<String, String> ECHO = RpcFunction.of("echo", Codecs.string(), Codecs.string());
    public static final RpcFunction<Long, Long> INCREMENT = RpcFunction.of("increment", Codecs.int64(), Codecs.int64());
    public static final RpcFunction<Void, String> CONNECTION_LABEL =
            RpcFunction.of("connectionLabel", Codecs.none(), Codecs.string());
    public static final RpcFunction<String, Void> FAIL = RpcFunction.of("fail", Codecs.string(), Codecs.none());
    public static final RpcFunction<Pair, Long> ADD = RpcFunction.of("add", Codecs.record(Pair.class), Codecs.int64());
    public static final RpcFunction<Void, Long> PID = RpcFunction.of("pid", Codecs.none(), Codecs.int64());
    public static final RpcFunction<Void, List<String>> ARGUMENTS =
            RpcFunction.of("arguments", Codecs.none(), Codecs.list(Codecs.string()));
    /** Connects to the worker given and calls its {@code echo} with "hop"; returns the answer. */
    public static final RpcFunction<WorkerRef, String> ECHO_VIA =
            RpcFunction.of("echoVia", Codecs.workerRef(), Codecs.string());

    /** Nested lists, for deep-nesting and codec-error tests. */
    public record Nested(List<List<List<String>>> items) {}

    /** The number of strings in the nested lists. */
    public static final RpcFunction<Nested, Long> COUNT_NESTED =
            RpcFunction.of("countNested", Codecs.record(Nested.class), Codecs.int64());
    /** A string of that many 'x': a result as large as the caller asks. */
    public static final RpcFunction<Integer, String> REPEAT = RpcFunction.of("repeat", Codecs.int32(), Codecs.string());
    /** The worker's used heap in bytes, measured after a full GC. */
    public static final RpcFunction<Void, Long> HEAP_USED = RpcFunction.of("heapUsed", Codecs.none(), Codecs.int64());
    /** A one-way call that adds the length of its argument to the worker's counter. */
    public static final OneWayFunction<String> NOTE = OneWayFunction.of("note", Codecs.string());
    /** The path of the jar or directory the worker loads the class named from, or {@code absent}. */
    public static final RpcFunction<String, String> CLASS_SOURCE =
            RpcFunction.of("classSource", Codecs.string(), Codecs.string());

    private Echo() {}
}
