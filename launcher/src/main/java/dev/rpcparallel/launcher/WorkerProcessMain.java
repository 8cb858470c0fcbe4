package dev.rpcparallel.launcher;

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

/**
 * The life of a spawned worker process: check the plugin set against the master's, start the
 * server, initialise the worker state, register with the master, serve until shut down or until
 * the master is gone (its end of stdin closes).
 */
final class WorkerProcessMain {
    /** Exit status of a worker whose plugin set differs from its master's. */
    static final int EXIT_PLUGIN_MISMATCH = 3;
    /** Exit status of a worker whose state init threw. */
    static final int EXIT_INIT_FAILED = 4;
    /** Exit status of a worker whose master went away. */
    static final int EXIT_MASTER_GONE = 5;

    private final LauncherRuntime runtime;
    private final WorkerBootstrap bootstrap;
    private final CountDownLatch shutdown = new CountDownLatch(1);

    WorkerProcessMain(LauncherRuntime runtime, WorkerBootstrap bootstrap) {
        this.runtime = runtime;
        this.bootstrap = bootstrap;
    }

    void run() throws Exception {
        runtime.configureAsWorker(bootstrap);
        PluginRegistry registry = runtime.registry();
        if (!registry.fingerprint().equals(bootstrap.fingerprint())) {
            LauncherRuntime.exitWorker(EXIT_PLUGIN_MISMATCH, "rpc-parallel worker '" + bootstrap.workerName()
                    + "': this worker and its master were built from different plugin sets (registry fingerprint "
                    + registry.fingerprint() + " here, " + bootstrap.fingerprint() + " in the master).\n"
                    + "Worker types here:\n" + indent(registry.description())
                    + "Worker types in the master:\n" + indent(bootstrap.registryDescription())
                    + "Start both with the same plugin jars and worker listing.\n"
                    + summarizeMismatch(registry.description(), bootstrap.registryDescription()));
            return;
        }
        watchLifeline(System.in);
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
        if (initError == null) {
            WorkerEndpoint endpoint = new WorkerEndpoint(type, state, bootstrap.workerId(), bootstrap.workerName(),
                    shutdown::countDown);
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
        shutdown.await();
        server.close();
        LauncherRuntime.exitWorker(0, null);
    }

    private void register(PluginRegistry registry, String address, Messages.RemoteError initError) {
        WorkerRef master = new WorkerRef("master", bootstrap.masterId(), "master", bootstrap.masterAddress());
        ClientConnection link = ClientConnection.openControl(runtime.transport(), runtime.settings(),
                runtime.secret(), registry.fingerprint(), registry.description(), master);
        byte[] registration = Messages.REGISTRATION.encode(
                new Messages.Registration(bootstrap.workerId(), address, initError));
        ClientConnection.await(link.callRaw(BuiltinFunctions.REGISTER, registration, "built-in 'register'"));
        // The link stays open: later issues carry failures and heartbeats on it.
    }

    /**
     * Exits when the master's end of stdin closes: quietly when the master released this worker
     * first, with {@link #EXIT_MASTER_GONE} when the master died.
     */
    private void watchLifeline(InputStream stdin) {
        Thread watcher = new Thread(() -> {
            try {
                for (int next = stdin.read(); next >= 0; next = stdin.read()) {
                    if (next == WorkerProcess.LIFELINE_RELEASE) {
                        LauncherRuntime.exitWorker(0, null);
                        return;
                    }
                }
            } catch (IOException e) {
                // A broken pipe means the same as the end: the master is gone.
            }
            LauncherRuntime.exitWorker(EXIT_MASTER_GONE, "rpc-parallel worker '" + bootstrap.workerName()
                    + "': its master has gone (stdin closed); exiting");
        }, "rpc-parallel-lifeline");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * The gist of a plugin-set mismatch in one line, printed last: the master keeps only the
     * last lines of a failed worker's output, and long registries would push the rest out.
     */
    private String summarizeMismatch(String here, String inMaster) {
        return "rpc-parallel worker '" + bootstrap.workerName() + "': this worker and its master were built from"
                + " different plugin sets; worker types here: " + typeLines(here) + "; in the master: "
                + typeLines(inMaster);
    }

    private static String typeLines(String registryDescription) {
        String types = registryDescription.lines().filter(line -> !line.isBlank() && !line.startsWith(" "))
                .map(line -> line.split(" ", 3).length >= 2 ? line.split(" ", 3)[0] + " " + line.split(" ", 3)[1] : line)
                .collect(java.util.stream.Collectors.joining(", "));
        return types.isEmpty() ? "(none)" : types;
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "  (none)\n" : lines.indent(2);
    }
}
