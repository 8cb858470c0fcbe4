package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.concurrent.atomic.AtomicReference;

/** The test worker type {@code bulk}: see {@link Bulk}. */
@RpcParallelWorker("bulk")
public final class BulkWorker implements WorkerPlugin<Void, BulkWorker.State, Void, Void> {

    /** Shared by every connection to one worker. */
    public static final class State {
        final AtomicReference<String> floodOutcome = new AtomicReference<>("none");
    }

    @Override
    public WorkerType<Void, Void> type() {
        return Bulk.TYPE;
    }

    @Override
    public State initWorkerState(Void initArg) {
        return new State();
    }

    @Override
    public void defineFunctions(FunctionTable<State, Void> functions) {
        functions
                .rpc(Bulk.PING, (call, text) -> text)
                .pipe(Bulk.BLOBS, (call, count, out) -> {
                    for (long i = 0; i < count; i++) {
                        out.write(Bulk.blob(i));
                    }
                })
                .state(Bulk.BLOB_STATE, (call, count, out) -> {
                    out.initialState(Bulk.blob(0));
                    for (long i = 1; i <= count; i++) {
                        out.write(Bulk.blob(i));
                    }
                })
                .reversePipe(Bulk.SWALLOW, (call, millis, updates) -> {
                    long expected = 0;
                    long millisEach = millis.get(1);
                    Thread.sleep(millis.get(0)); // the slow consumer, before it takes the first
                    for (byte[] update : updates) {
                        long index = Bulk.indexOf(update);
                        if (index != expected) {
                            return "blob " + expected + " expected, got " + index;
                        }
                        expected++;
                        Thread.sleep(millisEach); // the slow consumer
                    }
                    return expected + " blobs in order";
                })
                .directPipe(Bulk.FLOOD, (call, count, writer) -> {
                    AtomicReference<String> outcome = call.workerState().floodOutcome;
                    outcome.set("running");
                    for (long i = 0; i < count; i++) {
                        if (!writer.write(Bulk.blob(i))) {
                            outcome.set("refused blob " + i + (writer.isClosed() ? ", closed" : ", open"));
                            return;
                        }
                    }
                    outcome.set("pushed all " + count);
                    writer.close();
                })
                .rpc(Bulk.FLOOD_OUTCOME, (call, none) -> call.workerState().floodOutcome.get());
    }
}
