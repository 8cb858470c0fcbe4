package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.concurrent.atomic.AtomicLong;

/** A second test worker type, {@code counter}, so that order and plugin-set mismatches can be tested. */
@RpcParallelWorker("counter")
public final class Counter implements WorkerPlugin<Void, AtomicLong, Void, Void> {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("counter", Codecs.none(), Codecs.none());
    public static final RpcFunction<Void, Long> NEXT = RpcFunction.of("next", Codecs.none(), Codecs.int64());

    @Override
    public WorkerType<Void, Void> type() {
        return TYPE;
    }

    @Override
    public AtomicLong initWorkerState(Void initArg) {
        return new AtomicLong();
    }

    @Override
    public void defineFunctions(FunctionTable<AtomicLong, Void> functions) {
        functions.rpc(NEXT, (call, none) -> call.workerState().incrementAndGet());
    }
}
