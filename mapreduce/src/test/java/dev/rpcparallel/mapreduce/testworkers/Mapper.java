package dev.rpcparallel.mapreduce.testworkers;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;

/**
 * The test worker type {@code mapper}, for map-reduce: functions of an {@link Item} that take
 * the item's time. Its init argument is a label the worker answers {@link #LABEL} with.
 */
@RpcParallelWorker("mapper")
public final class Mapper implements WorkerPlugin<String, String, Void, Void> {
    public static final WorkerType<String, Void> TYPE = WorkerType.of("mapper", Codecs.string(), Codecs.none());

    /** An input: a value, and how long the worker takes over it. */
    public record Item(long value, long sleepMillis) {}

    /** The value squared; a negative value makes it throw {@link IllegalArgumentException}. */
    public static final RpcFunction<Item, Long> SQUARE =
            RpcFunction.of("square", Codecs.record(Item.class), Codecs.int64());
    /** The value as text followed by a comma, to be concatenated in order. */
    public static final RpcFunction<Item, String> TEXT =
            RpcFunction.of("text", Codecs.record(Item.class), Codecs.string());
    /** The worker's label (its init argument) and its name: {@code "LABEL in NAME"}. */
    public static final RpcFunction<Item, String> LABEL =
            RpcFunction.of("label", Codecs.record(Item.class), Codecs.string());

    /**
     * The value squared; on a negative value the worker kills itself with SIGKILL ({@code kill -9}
     * of its own PID), as a poisonous input that crashes whichever worker maps it.
     */
    public static final RpcFunction<Item, Long> SQUARE_OR_DIE =
            RpcFunction.of("squareOrDie", Codecs.record(Item.class), Codecs.int64());

    @Override
    public WorkerType<String, Void> type() {
        return TYPE;
    }

    @Override
    public String initWorkerState(String label) {
        return label == null ? "(no label)" : label;
    }

    @Override
    public void defineFunctions(FunctionTable<String, Void> functions) {
        functions
                .rpc(SQUARE, (call, item) -> {
                    take(item);
                    if (item.value() < 0) {
                        throw new IllegalArgumentException("negative input: " + item.value());
                    }
                    return item.value() * item.value();
                })
                .rpc(TEXT, (call, item) -> {
                    take(item);
                    return item.value() + ",";
                })
                .rpc(LABEL, (call, item) -> {
                    take(item);
                    return call.workerState() + " in " + call.self().name();
                })
                .rpc(SQUARE_OR_DIE, (call, item) -> {
                    take(item);
                    if (item.value() < 0) {
                        new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
                                .inheritIO().start().waitFor();
                        throw new IllegalStateException("still alive after kill -9");
                    }
                    return item.value() * item.value();
                });
    }

    private static void take(Item item) throws InterruptedException {
        if (item.sleepMillis() > 0) {
            Thread.sleep(item.sleepMillis());
        }
    }
}
