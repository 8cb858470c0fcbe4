package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.lang.management.ManagementFactory;

/** The test worker type {@code load}: see {@link Load}. */
@RpcParallelWorker("load")
public final class LoadWorker implements WorkerPlugin<Void, Void, Void, Void> {

    @Override
    public WorkerType<Void, Void> type() {
        return Load.TYPE;
    }

    @Override
    public Void initWorkerState(Void initArg) {
        return null;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions
                .rpc(Load.SIZE, (call, bytes) -> (long) bytes.length)
                .rpc(Load.SLOW_SIZE, (call, bytes) -> {
                    Thread.sleep(1000);
                    return (long) bytes.length;
                })
                .rpc(Load.SLEEP_THEN_COUNT_THREADS, (call, millis) -> {
                    Thread.sleep(millis);
                    return ManagementFactory.getThreadMXBean().getThreadCount();
                })
                .rpc(Load.VIA, (call, via) -> {
                    try (Connection connection = Parallel.connect(via.worker())) {
                        return connection.call(Load.SLEEP_THEN_COUNT_THREADS, via.millis());
                    }
                })
                .rpc(Load.BYTES, (call, size) -> new byte[size])
                .rpc(Load.FETCH, (call, fetch) -> {
                    try (Connection connection = Parallel.connect(fetch.worker())) {
                        String outcome;
                        try {
                            outcome = "received " + connection.call(Load.BYTES, fetch.bytes()).length;
                        } catch (RuntimeException e) {
                            outcome = "failed: " + e.getMessage();
                        }
                        return outcome + "; then " + connection.call(Load.SIZE, new byte[7]);
                    }
                })
                .rpc(Load.THREADS, (call, none) -> ManagementFactory.getThreadMXBean().getThreadCount())
                .rpc(Load.PROCESSORS, (call, none) -> Runtime.getRuntime().availableProcessors());
    }
}
