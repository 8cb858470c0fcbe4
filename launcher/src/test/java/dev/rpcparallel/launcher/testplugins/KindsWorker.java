package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;

/** The test worker type {@code kinds}: see {@link Kinds}. */
public final class KindsWorker implements WorkerPlugin<Void, KindsWorker.State, Void, Void> {

    /** Shared by every connection to one worker. */
    public static final class State {}

    @Override
    public WorkerType<Void, Void> type() {
        return Kinds.TYPE;
    }

    @Override
    public State initWorkerState(Void initArg) {
        return new State();
    }

    @Override
    public Void initConnectionState(Void connectionArg, State workerState) {
        return null;
    }

    @Override
    public void defineFunctions(FunctionTable<State, Void> functions) {
        functions
                .rpc(Kinds.LENGTH, (call, bytes) -> (long) bytes.length)
                .rpc(Kinds.PING, (call, text) -> text);
    }
}
