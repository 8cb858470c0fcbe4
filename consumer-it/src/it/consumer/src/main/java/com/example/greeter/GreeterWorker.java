package com.example.greeter;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;

@RpcParallelWorker("greeter")
public final class GreeterWorker implements WorkerPlugin<String, String, Void, Void> {
    @Override
    public WorkerType<String, Void> type() {
        return Greeter.TYPE;
    }

    @Override
    public String initWorkerState(String greeting) {
        return greeting;
    }

    @Override
    public void defineFunctions(FunctionTable<String, Void> functions) {
        functions.rpc(Greeter.GREET, (call, name) -> call.workerState() + ", " + name + "!");
        functions.rpc(Greeter.PID, (call, none) -> ProcessHandle.current().pid());
    }
}
