package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.liveness.WorkerHeartbeats;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.server.Endpoint;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.spi.transport.Frame;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The master's registration server, started at its first spawn: spawned workers register
 * there (their server's address, or why their state init failed), send their heartbeats and
 * report failures that reached no caller. Closed by the master's shutdown; a later spawn starts
 * it again, under a new id. Thread-safe.
 */
final class RegistrationDesk {
    private final RuntimeContext context;
    private final SpawnedWorkers children;
    private final Runnable onFirstStart;
    private boolean started;
    private final Map<String, CompletableFuture<Messages.Registration>> pending = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile Running running;

    /** A started registration server. */
    private record Running(String masterId, RpcServer server, WorkerHeartbeats heartbeats) {}

    /** @param onFirstStart runs when the server starts for the first time */
    RegistrationDesk(RuntimeContext context, SpawnedWorkers children, Runnable onFirstStart) {
        this.context = context;
        this.children = children;
        this.onFirstStart = onFirstStart;
    }

    /**
     * Expects the registration of {@code workerId}; the caller {@linkplain #forget forgets} it
     * once it came or the spawn gave up.
     */
    CompletableFuture<Messages.Registration> expect(String workerId) {
        CompletableFuture<Messages.Registration> registration = new CompletableFuture<>();
        pending.put(workerId, registration);
        return registration;
    }

    void forget(String workerId) {
        pending.remove(workerId);
    }

    /** How many spawns wait for their worker to register. */
    int pendingCount() {
        return pending.size();
    }

    /** The master as its workers reach it: its id and its server's address; starts the server if it was not. */
    WorkerRef master() {
        Running current = start();
        return new WorkerRef("master", current.masterId(), "master", current.server().address());
    }

    /** The heartbeats of the spawned workers; starts the server if it was not. */
    WorkerHeartbeats heartbeats() {
        return start().heartbeats();
    }

    boolean isRunning() {
        return running != null;
    }

    /** How many connections the registration server has (its workers' links), 0 when it is not running. */
    int linkCount() {
        Running current = running;
        return current == null ? 0 : current.server().connectionCount();
    }

    private Running start() {
        Running current = running;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (running == null) {
                String masterId = "master-" + UUID.randomUUID();
                WorkerHeartbeats heartbeats = new WorkerHeartbeats(context.settings().heartbeatInterval(),
                        context.settings().heartbeatTimeout(), context.timer(), context.executor());
                try {
                    RpcServer server = new RpcServer(context.session(), new Desk(masterId, heartbeats),
                            context.executor(), context.timer());
                    running = new Running(masterId, server, heartbeats);
                } catch (IOException e) {
                    heartbeats.close();
                    throw new SpawnException("Cannot start the master's registration server on "
                            + context.settings().bindHost() + ": " + e.getMessage(), e);
                }
                if (!started) {
                    started = true;
                    onFirstStart.run();
                }
            }
            return running;
        }
    }

    void close() {
        synchronized (lock) {
            Running current = running;
            if (current != null) {
                running = null;
                current.server().close();
                current.heartbeats().close();
            }
        }
    }

    /** The registration server's endpoint: serves the built-ins of spawned workers. */
    private final class Desk implements Endpoint {
        private final String masterId;
        private final WorkerHeartbeats heartbeats;

        Desk(String masterId, WorkerHeartbeats heartbeats) {
            this.masterId = masterId;
            this.heartbeats = heartbeats;
        }

        @Override
        public String id() {
            return masterId;
        }

        @Override
        public ServerRole role() {
            return ServerRole.MASTER;
        }

        @Override
        public String name() {
            return "master " + ProcessHandle.current().pid();
        }

        @Override
        public Object openConnection(byte[] connectionArg) {
            return null;
        }

        @Override
        public byte[] call(int functionId, byte[] arg, Object connectionState) {
            if (functionId != BuiltinFunctions.REGISTER && functionId != BuiltinFunctions.HEARTBEAT
                    && functionId != BuiltinFunctions.REPORT_FAILURE) {
                throw new IllegalArgumentException("a master serves only the built-ins of its workers,"
                        + " not " + BuiltinFunctions.describeId(functionId));
            }
            if (functionId == BuiltinFunctions.HEARTBEAT) {
                heartbeats.heard(arg);
                return Frame.noPayload();
            }
            if (functionId == BuiltinFunctions.REPORT_FAILURE) {
                Messages.FailureReport report = Messages.FAILURE_REPORT.decode(arg);
                children.get(report.workerId()).ifPresent(worker -> worker.reported(report.error()));
                return Frame.noPayload();
            }
            Messages.Registration registration = Messages.REGISTRATION.decode(arg);
            if (!pending.containsKey(registration.workerId())) {
                throw new IllegalStateException("no spawn is waiting for worker " + registration.workerId()
                        + " (it registered after its spawn timed out?)");
            }
            return Frame.noPayload(); // the spawn returns once the worker has this answer: builtinAnswered
        }

        /**
         * A registration's answer is on its way to the worker: now its spawn may return. Completed
         * before that, a spawn could return, and its master close this server (shutting its workers
         * down), while the answer was still to be written: the worker, its registration unanswered,
         * would take itself for unregistered and exit, though its spawn had succeeded.
         */
        @Override
        public void builtinAnswered(int functionId, byte[] arg) {
            if (functionId == BuiltinFunctions.REGISTER) {
                Messages.Registration registration = Messages.REGISTRATION.decode(arg);
                CompletableFuture<Messages.Registration> waiting = pending.get(registration.workerId());
                if (waiting != null) { // null: its spawn timed out meanwhile, and ends the worker
                    waiting.complete(registration);
                }
            }
        }

        @Override
        public String describeFunction(int functionId) {
            return BuiltinFunctions.describeId(functionId);
        }

        @Override
        public void shutdownRequested() {
            // A master is not shut down by its workers.
        }
    }
}
