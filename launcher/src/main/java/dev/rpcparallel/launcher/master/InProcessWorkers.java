package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.server.WorkerEndpoint;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.protocol.StackTraces;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Workers served by this process itself ({@code Parallel.serve}), by name. Thread-safe. */
final class InProcessWorkers {
    private final RuntimeContext context;
    private final AtomicInteger workerCounter;
    private final Map<String, RpcServer> served = new ConcurrentHashMap<>();

    InProcessWorkers(RuntimeContext context, AtomicInteger workerCounter) {
        this.context = context;
        this.workerCounter = workerCounter;
    }

    <I> WorkerRef serve(WorkerType<I, ?> type, I initArg) {
        RegisteredType registered = context.registry().require(type.name());
        String name = type.name() + "-" + workerCounter.incrementAndGet();
        Object state;
        try {
            state = registered.plugin().initWorkerState(
                    type.initArgCodec().decode(Spawner.encodeInitArg(type, initArg)));
        } catch (Exception e) {
            RemoteException remote = new RemoteException(name, "worker-state init", e.getClass().getName(),
                    e.getMessage(), StackTraces.text(e));
            throw new SpawnException("Worker '" + name + "' (" + type.name() + ") failed in its worker-state init: "
                    + e, remote);
        }
        WorkerEndpoint endpoint = new WorkerEndpoint(registered, state, UUID.randomUUID().toString(), name,
                () -> stop(name));
        RpcServer server;
        try {
            server = new RpcServer(context.session(), endpoint, context.executor(), context.timer());
        } catch (IOException e) {
            throw new SpawnException("Cannot start a server for worker '" + name + "' on "
                    + context.settings().bindHost() + ": " + e.getMessage(), e);
        }
        WorkerRef self = endpoint.publishAt(server.address());
        served.put(name, server);
        return self;
    }

    boolean isEmpty() {
        return served.isEmpty();
    }

    private void stop(String name) {
        RpcServer server = served.remove(name);
        if (server != null) {
            server.close();
        }
    }

    void stopAll() {
        for (RpcServer server : served.values()) {
            server.close();
        }
        served.clear();
    }
}
