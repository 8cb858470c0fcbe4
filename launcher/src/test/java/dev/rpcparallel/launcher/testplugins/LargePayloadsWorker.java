package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;

/** The test worker type {@code large-payloads}: see {@link LargePayloads}. */
@RpcParallelWorker("large-payloads")
public final class LargePayloadsWorker implements WorkerPlugin<Void, Void, Void, Void> {

    @Override
    public WorkerType<Void, Void> type() {
        return LargePayloads.TYPE;
    }

    @Override
    public Void initWorkerState(Void initArg) {
        HeapCounters.install();
        return null;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions
                .rpc(LargePayloads.ECHO, (call, bytes) -> bytes)
                .rpc(LargePayloads.HEAP_COUNTERS, (call, none) -> HeapCounters.now().toList());
    }
}
