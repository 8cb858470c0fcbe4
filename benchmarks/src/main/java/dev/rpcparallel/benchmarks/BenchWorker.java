package dev.rpcparallel.benchmarks;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;

/** The {@code bench} worker: does as little as a function can, so the figures measure the library. */
public final class BenchWorker implements WorkerPlugin<Void, Void, Void, Void> {

    @Override
    public WorkerType<Void, Void> type() {
        return Bench.TYPE;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions
                .rpc(Bench.ECHO, (call, payload) -> payload)
                .rpc(Bench.PID, (call, none) -> ProcessHandle.current().pid())
                .pipe(Bench.COUNT, (call, count, out) -> {
                    for (long i = 0; i < count; i++) {
                        out.write(i);
                    }
                });
    }
}
