package dev.rpcparallel.launcher;

import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.process.WorkerBootstrap;
import dev.rpcparallel.launcher.process.WorkerProcess;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.rpc.BuiltinFunctions;
import dev.rpcparallel.launcher.rpc.ClientConnection;
import dev.rpcparallel.launcher.rpc.Messages;
import dev.rpcparallel.launcher.rpc.RpcServer;
import dev.rpcparallel.launcher.rpc.ServerRole;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The life of a spawned worker process: check the plugin set against the master's, start
 * watching for the master's death, initialise the worker state, start the server, register with
 * the master, then serve until shut down. How it watches its master depends on its
 * {@link ShutdownOn} mode:
 * <ul>
 *   <li>its stdin, the lifeline: the master's end closing without a release means the master
 *       died;
 *   <li>the master's process, by PID;
 *   <li>heartbeats on its link to the master, for a master that is alive but does not answer.
 * </ul>
 * A {@link ShutdownOn#CALLED_SHUTDOWN} worker ignores all three.
 *
 * <p>A worker of the master's warm pool does all that does not depend on what it will be
 * (registry and fingerprint, lifeline, PID watch, its server, its link to the master, heartbeats)
 * and tells the master it is ready by registering under its pool id; then it waits for its
 * assignment on stdin, and goes on as a cold-started worker would: state init, registration.
 * While idle it dies with its master whatever shutdown mode its spawn will ask for.
 */
final class WorkerProcessMain {
    /** Exit status of a worker whose plugin set differs from its master's. */
    static final int EXIT_PLUGIN_MISMATCH = 3;
    /** Exit status of a worker whose state init threw. */
    static final int EXIT_INIT_FAILED = 4;
    /** Exit status of a worker whose master went away. */
    static final int EXIT_MASTER_GONE = 5;
    /** Exit status of a worker that reported an exception no caller could receive. */
    static final int EXIT_REPORTED_FAILURE = 6;
    /** How many connections an idle pooled worker makes to itself to warm up: a few ms of CPU each. */
    private static final int WARM_UP_CONNECTIONS = 20;

    private final LauncherRuntime runtime;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    /** Replaced by the assigned one at a pooled worker's handover. */
    private volatile WorkerBootstrap bootstrap;
    private volatile ShutdownOn mode;
    private volatile ClientConnection masterLink;
    private volatile ScheduledFuture<?> heartbeats;
    private volatile long lastHeartbeatAnswer = System.nanoTime();

    WorkerProcessMain(LauncherRuntime runtime, WorkerBootstrap bootstrap) {
        this.runtime = runtime;
        this.bootstrap = bootstrap;
        // An idle pooled worker dies with its master whatever mode its spawn will ask for.
        this.mode = bootstrap.pooled() ? ShutdownOn.HEARTBEAT_TIMEOUT : bootstrap.shutdownMode();
    }

    void run() throws Exception {
        runtime.configureAsWorker(bootstrap);
        PluginRegistry registry = runtime.registry();
        if (!registry.fingerprint().equals(bootstrap.fingerprint())) {
            // The verdict comes last: a spawn error quotes the tail of what the worker printed.
            LauncherRuntime.exitWorker(EXIT_PLUGIN_MISMATCH, "Worker types in this worker:\n"
                    + indent(PluginRegistry.describeAgainst(registry.description(), bootstrap.registryDescription()))
                    + "Worker types in its master:\n"
                    + indent(PluginRegistry.describeAgainst(bootstrap.registryDescription(), registry.description()))
                    + "rpc-parallel worker '" + bootstrap.workerName() + "': this worker and its master were built"
                    + " from different plugin sets (registry fingerprint " + registry.fingerprint() + " here, "
                    + bootstrap.fingerprint() + " in the master). Start both with the same plugin jars and worker"
                    + " listing.");
            return;
        }
        if (!bootstrap.pooled()) {
            watchLifeline(System.in);
        }
        // Whoever ends the process (a function calling System.exit included), its output is flushed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.flush();
            System.err.flush();
        }, "rpc-parallel-flush-output"));
        if (mode != ShutdownOn.CALLED_SHUTDOWN) {
            long masterPid = bootstrap.masterPid();
            ProcessHandle.of(masterPid).ifPresentOrElse(
                    master -> master.onExit().thenRun(() -> masterGone("its master's process " + masterPid
                            + " has exited")),
                    () -> masterGone("its master's process " + masterPid + " is not running"));
        }
        // Exceptions that reach no caller: uncaught ones here, one-way functions' in WorkerEndpoint.
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                WorkerFailures.report("thread '" + thread.getName() + "'", error));
        WorkerFailures.setReporter(this::reportToMasterAndExit);

        HandoverEndpoint handover = null;
        RpcServer server = null;
        if (bootstrap.pooled()) {
            // Everything that does not depend on the assignment happens now, while idle.
            handover = new HandoverEndpoint(bootstrap.workerId(), bootstrap.workerName());
            server = newServer(registry, handover);
            warmUp(registry, server);
            // With its server's address: the master opens its parked link to it.
            register(registry, server.address(), null);
            startHeartbeats();
            // This thread reads its assignment itself: no lifeline thread to wake it.
            WorkerBootstrap.Assignment assigned = awaitAssignment(System.in);
            bootstrap = bootstrap.assigned(assigned);
            mode = bootstrap.shutdownMode();
            watchLifeline(System.in);
            if (mode == ShutdownOn.CALLED_SHUTDOWN) {
                heartbeats.cancel(false);
            }
        }
        RegisteredType type = registry.require(bootstrap.workerType());

        Messages.RemoteError initError = null;
        Object state = null;
        try {
            Object initArg = type.type().initArgCodec().decode(bootstrap.initArg());
            state = type.plugin().initWorkerState(initArg);
        } catch (Throwable e) {
            initError = Messages.RemoteError.of("worker-state init", e);
        }
        String address = "";
        Runnable connectionDeadline = () -> { };
        if (initError == null) {
            WorkerEndpoint endpoint = new WorkerEndpoint(type, state, bootstrap.workerId(), bootstrap.workerName(),
                    shutdown::countDown);
            if (mode == ShutdownOn.CONNECTION_CLOSED) {
                endpoint.onFirstConnectionClosed(shutdown::countDown);
                long timeoutMillis = bootstrap.connectionTimeoutMillis();
                String name = bootstrap.workerName();
                connectionDeadline = () -> runtime.timer().schedule(() -> {
                    if (!endpoint.hadConnection()) {
                        LauncherRuntime.exitWorker(0, "rpc-parallel worker '" + name
                                + "': nobody connected within " + timeoutMillis + " ms; exiting");
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            if (handover != null) {
                handover.assign(endpoint);
            } else {
                server = newServer(registry, endpoint);
            }
            address = endpoint.publishAt(server.address()).address();
        }
        register(registry, address, initError);
        if (initError != null) {
            LauncherRuntime.exitWorker(EXIT_INIT_FAILED, "rpc-parallel worker '" + bootstrap.workerName()
                    + "': worker-state init failed:\n" + initError.stackTrace());
            return;
        }
        // The connection timeout counts from registration, when the master learns the address.
        connectionDeadline.run();
        if (mode != ShutdownOn.CALLED_SHUTDOWN && heartbeats == null) {
            startHeartbeats();
        }
        shutdown.await();
        server.close();
        LauncherRuntime.exitWorker(0, null);
    }

    /**
     * Runs the code of a connection's handshake and of a call a few times, both sides, against
     * this worker's own server: the master's first connection after the handover then finds it
     * loaded, linked and partly compiled rather than paying for it.
     */
    private void warmUp(PluginRegistry registry, RpcServer server) {
        WorkerRef self = new WorkerRef("", bootstrap.workerId(), bootstrap.workerName(), server.address());
        try {
            for (int i = 0; i < WARM_UP_CONNECTIONS; i++) {
                try (ClientConnection connection = ClientConnection.openControl(runtime.transport(),
                        runtime.settings(), runtime.secret(), registry.fingerprint(), registry.description(), self)) {
                    ClientConnection.await(connection.callRaw(BuiltinFunctions.HEARTBEAT, new byte[0],
                            "built-in 'heartbeat'"));
                }
            }
            WorkerBootstrap.Assignment.warmUp();
            Class.forName(WorkerEndpoint.class.getName(), true, WorkerEndpoint.class.getClassLoader());
        } catch (RuntimeException | ClassNotFoundException e) {
            // Only an optimisation: a worker that cannot reach itself still serves once assigned.
            System.err.println("rpc-parallel worker '" + bootstrap.workerName() + "': warm-up connection failed: " + e);
        }
    }

    private RpcServer newServer(PluginRegistry registry, dev.rpcparallel.launcher.rpc.Endpoint endpoint)
            throws IOException {
        return new RpcServer(runtime.transport(), runtime.settings(), runtime.secret(), registry.fingerprint(),
                registry.description(), endpoint, runtime.executor(), runtime.timer());
    }

    /**
     * Registers with the master over the link to it, opened on first use. A pooled worker
     * registers twice: once when warm, under its pool id (with its server's address, for the
     * master's parked link), and once assigned.
     */
    private void register(PluginRegistry registry, String address, Messages.RemoteError initError) {
        if (masterLink == null) {
            WorkerRef master = new WorkerRef("master", bootstrap.masterId(), "master", bootstrap.masterAddress());
            masterLink = ClientConnection.openControl(runtime.transport(), runtime.settings(), runtime.secret(),
                    registry.fingerprint(), registry.description(), master, ServerRole.MASTER);
        }
        byte[] registration = Messages.REGISTRATION.encode(
                new Messages.Registration(bootstrap.workerId(), address, initError));
        ClientConnection.await(masterLink.callRaw(BuiltinFunctions.REGISTER, registration, "built-in 'register'"));
    }

    /**
     * Every heartbeat interval, asks the master whether it is alive; exits when no answer came
     * for the heartbeat timeout. Catches a master that is alive (so its pipes and PID are too)
     * but hung, stopped, or unreachable.
     */
    private void startHeartbeats() {
        long intervalMillis = runtime.settings().heartbeatInterval().toMillis();
        long timeoutNanos = runtime.settings().heartbeatTimeout().toNanos();
        lastHeartbeatAnswer = System.nanoTime();
        heartbeats = runtime.timer().scheduleAtFixedRate(() -> {
            long silentNanos = System.nanoTime() - lastHeartbeatAnswer;
            if (silentNanos > timeoutNanos) {
                masterGone("its master did not answer heartbeats for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                        + " ms (timeout " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
                return;
            }
            masterLink.callRaw(BuiltinFunctions.HEARTBEAT, new byte[0], "built-in 'heartbeat'")
                    .thenRun(() -> lastHeartbeatAnswer = System.nanoTime());
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void masterGone(String why) {
        if (mode != ShutdownOn.CALLED_SHUTDOWN) {
            LauncherRuntime.exitWorker(EXIT_MASTER_GONE, "rpc-parallel worker '" + bootstrap.workerName() + "': "
                    + why + "; exiting");
        }
    }

    /**
     * An exception reached no caller, and {@link WorkerFailures} has written it to stderr: report
     * it to the master (its failure callback) and exit non-zero.
     */
    private void reportToMasterAndExit(String origin, Throwable error) {
        Messages.RemoteError remote = Messages.RemoteError.of(origin, error);
        ClientConnection link = masterLink;
        if (link != null) {
            try {
                link.callRaw(BuiltinFunctions.REPORT_FAILURE,
                                Messages.FAILURE_REPORT.encode(new Messages.FailureReport(bootstrap.workerId(), remote)),
                                "built-in 'report failure'")
                        .get(runtime.settings().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                System.err.println("rpc-parallel worker '" + bootstrap.workerName()
                        + "': could not report the failure to its master: " + e);
            }
        }
        LauncherRuntime.exitWorker(EXIT_REPORTED_FAILURE, null);
    }

    /**
     * An idle pooled worker's wait, on its main thread, for its assignment on stdin,
     * {@link WorkerBootstrap#LIFELINE_ASSIGN} and the assignment itself. A release byte from the
     * master ends it quietly; the end of the stream (or a garbled assignment) means the master
     * died or broke the lifeline.
     */
    private WorkerBootstrap.Assignment awaitAssignment(InputStream stdin) {
        try {
            for (int next = stdin.read(); next >= 0; next = stdin.read()) {
                if (next == WorkerProcess.LIFELINE_RELEASE) {
                    LauncherRuntime.exitWorker(0, null);
                }
                if (next == WorkerBootstrap.LIFELINE_ASSIGN) {
                    return WorkerBootstrap.Assignment.readFrom(stdin);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A broken pipe means the same as the end: the master is gone.
        }
        masterGone("its master has gone (stdin closed)");
        throw new IllegalStateException("unreachable: the worker is exiting");
    }

    /**
     * Watches stdin. A release byte from the master means a clean end: exit quietly. The end of
     * the stream without it means the master died.
     */
    private void watchLifeline(InputStream stdin) {
        Thread watcher = new Thread(() -> {
            try {
                for (int next = stdin.read(); next >= 0; next = stdin.read()) {
                    if (next == WorkerProcess.LIFELINE_RELEASE && mode != ShutdownOn.CALLED_SHUTDOWN) {
                        LauncherRuntime.exitWorker(0, null);
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // A broken pipe means the same as the end: the master is gone.
            }
            masterGone("its master has gone (stdin closed)");
        }, "rpc-parallel-lifeline");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "  (none)\n" : lines.indent(2);
    }
}
