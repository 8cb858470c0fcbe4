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
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
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

    private final LauncherRuntime runtime;
    private final WorkerBootstrap bootstrap;
    private final ShutdownOn mode;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private volatile ClientConnection masterLink;
    private volatile long lastHeartbeatAnswer = System.nanoTime();

    WorkerProcessMain(LauncherRuntime runtime, WorkerBootstrap bootstrap) {
        this.runtime = runtime;
        this.bootstrap = bootstrap;
        this.mode = bootstrap.shutdownMode();
    }

    void run() throws Exception {
        runtime.configureAsWorker(bootstrap);
        PluginRegistry registry = runtime.registry();
        if (!registry.fingerprint().equals(bootstrap.fingerprint())) {
            // The verdict comes last: a spawn error quotes the tail of what the worker printed.
            LauncherRuntime.exitWorker(EXIT_PLUGIN_MISMATCH, "Worker types in this worker:\n"
                    + indent(registry.description())
                    + "Worker types in its master:\n" + indent(bootstrap.registryDescription())
                    + "rpc-parallel worker '" + bootstrap.workerName() + "': this worker and its master were built"
                    + " from different plugin sets (registry fingerprint " + registry.fingerprint() + " here, "
                    + bootstrap.fingerprint() + " in the master). Start both with the same plugin jars and worker"
                    + " listing.");
            return;
        }
        watchLifeline(System.in);
        // Whoever ends the process (a function calling System.exit included), its output is flushed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.flush();
            System.err.flush();
        }, "rpc-parallel-flush-output"));
        if (mode != ShutdownOn.CALLED_SHUTDOWN) {
            ProcessHandle.of(bootstrap.masterPid()).ifPresentOrElse(
                    master -> master.onExit().thenRun(() -> masterGone("its master's process " + bootstrap.masterPid()
                            + " has exited")),
                    () -> masterGone("its master's process " + bootstrap.masterPid() + " is not running"));
        }
        // Exceptions that reach no caller: uncaught ones here, one-way functions' in WorkerEndpoint.
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                WorkerFailures.report("thread '" + thread.getName() + "'", error));
        WorkerFailures.setReporter(this::reportToMasterAndExit);
        RegisteredType type = registry.require(bootstrap.workerType());

        Messages.RemoteError initError = null;
        Object state = null;
        try {
            Object initArg = type.type().initArgCodec().decode(bootstrap.initArg());
            state = type.plugin().initWorkerState(initArg);
        } catch (Throwable e) {
            initError = Messages.RemoteError.of("worker-state init", e);
        }
        RpcServer server = null;
        String address = "";
        Runnable connectionDeadline = () -> { };
        if (initError == null) {
            WorkerEndpoint endpoint = new WorkerEndpoint(type, state, bootstrap.workerId(), bootstrap.workerName(),
                    shutdown::countDown);
            if (mode == ShutdownOn.CONNECTION_CLOSED) {
                endpoint.onFirstConnectionClosed(shutdown::countDown);
                connectionDeadline = () -> runtime.timer().schedule(() -> {
                    if (!endpoint.hadConnection()) {
                        LauncherRuntime.exitWorker(0, "rpc-parallel worker '" + bootstrap.workerName()
                                + "': nobody connected within " + bootstrap.connectionTimeoutMillis() + " ms; exiting");
                    }
                }, bootstrap.connectionTimeoutMillis(), TimeUnit.MILLISECONDS);
            }
            server = new RpcServer(runtime.transport(), runtime.settings(), runtime.secret(), registry.fingerprint(),
                    registry.description(), endpoint, runtime.executor(), runtime.timer());
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
        if (mode != ShutdownOn.CALLED_SHUTDOWN) {
            startHeartbeats();
        }
        shutdown.await();
        server.close();
        LauncherRuntime.exitWorker(0, null);
    }

    private void register(PluginRegistry registry, String address, Messages.RemoteError initError) {
        WorkerRef master = new WorkerRef("master", bootstrap.masterId(), "master", bootstrap.masterAddress());
        masterLink = ClientConnection.openControl(runtime.transport(), runtime.settings(), runtime.secret(),
                registry.fingerprint(), registry.description(), master);
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
        runtime.timer().scheduleAtFixedRate(() -> {
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
            } catch (IOException e) {
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
