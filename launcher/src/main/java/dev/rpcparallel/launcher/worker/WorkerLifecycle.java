package dev.rpcparallel.launcher.worker;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.StackTraces;
import dev.rpcparallel.launcher.warm.HandoverEndpoint;
import dev.rpcparallel.launcher.warm.IdleWarmUp;
import dev.rpcparallel.launcher.warm.TypedCallWarmUp;
import dev.rpcparallel.launcher.server.WorkerEndpoint;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.fork.ClassDataSharing;
import dev.rpcparallel.launcher.fork.ClasspathArgFile;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerExit;
import dev.rpcparallel.launcher.liveness.MasterWatch;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.protocol.WriterCallbacks;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.server.WorkerFailures;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.sharing.WorkerEntries;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The life of a spawned worker process: start watching its master (first, before its plugins
 * load), check the plugin set against the master's, initialise the worker state, start the
 * server, register with the master, then serve until shut down. It loses its master
 * ({@link MasterWatch}) when its stdin, the lifeline, ends without a release; when the master's
 * process is gone; or when the master has not answered heartbeats for the heartbeat timeout.
 *
 * <p>A {@link ShutdownOn#CALLED_SHUTDOWN} worker watches its master only until it has
 * registered: one whose master died before it sent its registration is held by nobody, and
 * exits; once it has, the answer decides ({@link OutlivingRegistration}). Once registered, it
 * outlives its master.
 *
 * <p>A worker of the master's warm pool does all that does not depend on what it will be
 * (registry and fingerprint, lifeline, PID watch, its server, its link to the master, heartbeats)
 * and tells the master it is ready by registering under its pool id; then it waits for its
 * assignment on stdin, and goes on as a cold-started worker would: state init, registration.
 * While idle it dies with its master whatever shutdown mode its spawn will ask for.
 */
public final class WorkerLifecycle {
    /** How many connections and calls an idle pooled worker makes to itself to warm up: a few ms of CPU each. */
    private static final int WARM_UP_CONNECTIONS = 20;
    /** How long after registering a cold-started worker cleans the entries of dead workers, off its first call's path. */
    private static final long STALE_ENTRIES_AFTER_MILLIS = 2000;
    /** How long after registering a worker writes its entry for {@code ps}, off its first call's path. */
    private static final long ENTRY_AFTER_MILLIS = 100;

    private final RuntimeContext context;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    /** Ends the worker's wait: linked at construction, so not on a pooled worker's handover. */
    private final Runnable endServing = shutdown::countDown;
    /** Replaced by the assigned one at a pooled worker's handover. */
    private volatile WorkerBootstrap bootstrap;
    private volatile ShutdownOn mode;
    private volatile ClientConnection masterLink;
    private MasterWatch watch;
    /** A pooled worker's entry for {@code ps}, prepared while idle; {@code null} until then, or if that failed. */
    private volatile WorkerEntries.Prepared preparedEntry;
    /** A pooled worker's assignment, read from the lifeline. */
    private final CompletableFuture<WorkerBootstrap.Assignment> assignment = new CompletableFuture<>();
    /** How far a {@link ShutdownOn#CALLED_SHUTDOWN} worker's registration got: once answered, only a shutdown stops it. */
    private final OutlivingRegistration registration = new OutlivingRegistration();

    /**
     * Runs this process as a spawned worker: reads its bootstrap from stdin, serves, exits. Never
     * returns normally.
     */
    public static void runThisProcess(RuntimeContext context) {
        ClasspathArgFile.deleteOwn();
        WorkerBootstrap bootstrap;
        try {
            bootstrap = RemoteWorkerAddresses.adapt(WorkerBootstrap.readFrom(System.in), System.getenv("SSH_CONNECTION"));
        } catch (IOException | RuntimeException e) {
            WorkerExit.exit(WorkerExit.NO_BOOTSTRAP, "rpc-parallel worker: cannot read its configuration from stdin: "
                    + e.getMessage());
            return;
        }
        try {
            new WorkerLifecycle(context, bootstrap).run();
        } catch (Throwable e) {
            WorkerExit.exit(WorkerExit.FAILED, "rpc-parallel worker '" + bootstrap.workerName() + "' failed: "
                    + StackTraces.text(e));
        }
    }

    private WorkerLifecycle(RuntimeContext context, WorkerBootstrap bootstrap) {
        this.context = context;
        this.bootstrap = bootstrap;
        // An idle pooled worker dies with its master whatever mode its spawn will ask for.
        this.mode = bootstrap.pooled() ? ShutdownOn.HEARTBEAT_TIMEOUT : bootstrap.shutdownMode();
    }

    private void run() throws Exception {
        Thread classPathJars = ClassPathJars.openInBackground();
        // Watching the master comes first: the registry loads plugins, whose constructors and
        // static initialisers may take any time, and a worker must not outlive its master meanwhile.
        RpcSettings settings = bootstrap.settings();
        watch = new MasterWatch(bootstrap.workerName(), bootstrap.master().pid(), settings.heartbeatInterval(),
                settings.heartbeatTimeout(), context.timer(), () -> bootstrap.workerId(), new WatchListener());
        watch.watchLifeline(System.in);
        if (!bootstrap.master().onAnotherHost()) {
            watch.watchPid(); // across hosts, stdin's end and the heartbeats tell the master's death
        }
        // The master's default launcher is not the worker's: a worker's own spawns start on its host.
        context.configureWorker(settings.withLauncher(""), bootstrap.master().secret(), bootstrap.master().tlsKey(),
                bootstrap.transportProvider());
        // The link to the master needs none of this worker's plugins: it is opened and
        // authenticated before they load, so that registering is one round trip once the server
        // listens. Its hello names the master's plugin set, which this worker compares with its
        // own just below (AgreedPlugins), exiting before it registers if they differ.
        boolean archiveMaker = Boolean.getBoolean(ClassDataSharing.MAKER_PROPERTY);
        try {
            if (!archiveMaker) { // an archive maker never registers
                openMasterLink();
            }
        } catch (ConnectionException e) {
            // Tried again at registration: a master that died meanwhile is told by its watch.
        }
        AgreedPlugins plugins = AgreedPlugins.check(context, bootstrap);
        // Whoever ends the process (a function calling System.exit included), its output is flushed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.flush();
            System.err.flush();
        }, "rpc-parallel-flush-output"));
        // Exceptions that reach no caller: uncaught ones here, one-way functions' in WorkerEndpoint.
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                WorkerFailures.report("thread '" + thread.getName() + "'", error));
        WorkerFailures.setReporter(this::reportToMasterAndExit);
        if (archiveMaker) {
            makeArchive(plugins);
            return;
        }

        HandoverEndpoint handover = null;
        RpcServer server = null;
        if (bootstrap.pooled()) {
            // Everything that does not depend on the assignment happens now, while idle.
            handover = new HandoverEndpoint(bootstrap.workerId(), bootstrap.workerName(),
                    () -> WorkerExit.exit(0, null));
            warmUp(plugins);
            server = newServer(plugins, handover);
            // With its server's address: the master opens its parked link to it.
            ClassPathJars.awaitOpened(classPathJars);
            register(server.address(), null);
            watch.startHeartbeats(masterLink);
            WorkerBootstrap.Assignment assigned = assignment.join();
            bootstrap = bootstrap.assigned(assigned);
            mode = bootstrap.shutdownMode();
            if (mode == ShutdownOn.CALLED_SHUTDOWN) {
                watch.stopHeartbeats();
            }
        }
        RegisteredType type = plugins.require(bootstrap.assignment().workerType());

        Messages.RemoteError initError = null;
        Object state = null;
        try {
            Object initArg = type.type().initArgCodec().decode(bootstrap.assignment().initArg());
            state = type.plugin().initWorkerState(initArg);
        } catch (Throwable e) {
            initError = Messages.RemoteError.of("worker-state init", e);
        }
        String address = "";
        // A shared no-op, not a lambda of its own here: a lambda the archive maker never links
        // would be spun in every worker (ClassDataSharingIT#aWorkersFirstAnswerLoadsNoClassOfTheRuntimeFromItsJars).
        Runnable connectionDeadline = WriterCallbacks.NOTHING;
        if (initError == null) {
            WorkerEndpoint endpoint = new WorkerEndpoint(type, state, bootstrap.workerId(), bootstrap.workerName(),
                    endServing);
            if (mode == ShutdownOn.CONNECTION_CLOSED) {
                endpoint.onFirstConnectionClosed(endServing);
                long timeoutMillis = bootstrap.assignment().connectionTimeoutMillis();
                String name = bootstrap.workerName();
                connectionDeadline = () -> context.timer().schedule(() -> {
                    if (!endpoint.hadConnection()) {
                        WorkerExit.exit(WorkerExit.DONE, "rpc-parallel worker '" + name
                                + "': nobody connected within " + timeoutMillis + " ms; exiting");
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            if (handover != null) {
                handover.assign(endpoint);
            } else {
                server = newServer(plugins, endpoint);
            }
            address = endpoint.publishAt(server.address()).address();
        }
        ClassPathJars.awaitOpened(classPathJars);
        if (mode == ShutdownOn.CALLED_SHUTDOWN && !registration.sending()) {
            return; // its master has gone, and the watch is ending this process
        }
        register(address, initError);
        if (initError != null) {
            WorkerExit.exit(WorkerExit.INIT_FAILED, "rpc-parallel worker '" + bootstrap.workerName()
                    + "': worker-state init failed:\n" + initError.stackTrace());
            return;
        }
        if (mode == ShutdownOn.CALLED_SHUTDOWN) {
            // Its spawn has returned: from now on it outlives its master.
            registration.answered();
            watch.stop();
        } else {
            watch.startHeartbeats(masterLink);
        }
        // The connection timeout counts from registration, when the master learns the address.
        connectionDeadline.run();
        // Its ps entry, for people and their tools, not in the milliseconds in which its master
        // connects and makes its first call (writing it there took a processor they need).
        if (!shutdown.await(ENTRY_AFTER_MILLIS, TimeUnit.MILLISECONDS)) {
            OwnEntry.publish(preparedEntry, new WorkerRef(type.name(), bootstrap.workerId(), bootstrap.workerName(),
                    address), context.secret(), bootstrap.master().pid());
        }
        if (handover == null) { // a pooled worker did so while idle
            // Not while the master connects and makes its first call: once this worker has served
            // a while, or when it is told to shut down before that.
            deleteStaleEntriesAfter(STALE_ENTRIES_AFTER_MILLIS);
        }
        shutdown.await();
        server.close();
        WorkerExit.exit(WorkerExit.DONE, null);
    }

    /**
     * As an archive maker ({@link ClassDataSharing#MAKER_PROPERTY}): runs a worker's steps to its
     * first answer, running no code of a plugin (no state init, no function) and telling nobody:
     * a connection and its first call against a server of its own, and a first call of a typed
     * function of the runtime's own ({@link TypedCallWarmUp}); binds its type's functions; then
     * what a worker does once it has registered, by the same code: heartbeats started, on its link
     * to itself, and stopped before the first is due; its ps entry written under a name nobody
     * lists and deleted; the wait before stale entries are cleaned, briefly. Then it exits; its
     * JVM has written the list of the classes it loaded, which its master dumps into the class-data
     * archive if this process exits with 0. A failed step ends the process with
     * {@link WorkerExit#FAILED} (its master logs that at DEBUG).
     */
    private void makeArchive(AgreedPlugins plugins) throws Exception {
        SessionContext session = session(plugins);
        String id = bootstrap.workerId();
        IdleWarmUp.run(session, context.executor(), context.timer(), id, 1);
        TypedCallWarmUp.run(session, context.executor(), context.timer(), id, link -> {
            watch.startHeartbeats(link);
            watch.stopHeartbeats();
            watch.useLink(null); // an archive maker has no link to its master
        });
        String typeName = bootstrap.assignment().workerType();
        IdleWarmUp.bindTypes(bootstrap.pooled() || typeName.isEmpty() ? context.registry().types()
                : List.of(plugins.require(typeName)), id);
        // Not the worker's id: the entry's key is then the key of no worker.
        OwnEntry.rehearse(new WorkerRef(typeName, id + "-cds-archive", bootstrap.workerName(), ""), context.secret(),
                bootstrap.master().pid());
        deleteStaleEntriesAfter(1);
        WorkerExit.exit(WorkerExit.DONE, null);
    }

    /**
     * Waits {@code millis} unless told to shut down, then deletes the entries of workers that died
     * without removing theirs: off the spawn's path, on this thread, which only waits from here
     * (no thread to start, so no new way to fail).
     */
    private void deleteStaleEntriesAfter(long millis) throws InterruptedException {
        shutdown.await(millis, TimeUnit.MILLISECONDS);
        OwnEntry.deleteStale();
    }

    /**
     * Runs the whole path of a connection and its first call, both ends, and binds every
     * registered type's functions ({@link IdleWarmUp}); cleans stale worker entries and prepares
     * this worker's own (neither needs the assignment): the spawn's endpoint and the master's
     * first connection and call after the handover then find the code loaded, linked and partly
     * compiled rather than paying for it, and the worker's main thread has less to do beside them.
     */
    private void warmUp(AgreedPlugins plugins) {
        try {
            IdleWarmUp.run(session(plugins), context.executor(), context.timer(), bootstrap.workerId(),
                    WARM_UP_CONNECTIONS);
            // An idle pooled worker has loaded the whole registry (AgreedPlugins): it may become any type.
            IdleWarmUp.bindTypes(context.registry().types(), bootstrap.workerId());
            WorkerBootstrap.Assignment.warmUp();
        } catch (IOException | RuntimeException e) {
            // Only an optimisation: a worker that cannot reach itself still serves once assigned.
            System.err.println("rpc-parallel worker '" + bootstrap.workerName() + "': warm-up failed: " + e);
        }
        OwnEntry.deleteStale();
        try {
            preparedEntry = OwnEntry.prepare(bootstrap.master().pid());
        } catch (RuntimeException e) {
            // Said when the entry is published, after the handover.
        }
    }

    private RpcServer newServer(AgreedPlugins plugins, dev.rpcparallel.launcher.server.Endpoint endpoint)
            throws IOException {
        return new RpcServer(session(plugins), endpoint, context.executor(), context.timer());
    }

    private SessionContext session(AgreedPlugins plugins) {
        return new SessionContext(context.transport(), context.settings(), context.secret(), plugins.fingerprint(),
                plugins.description());
    }

    /**
     * Opens the link to the master's registration server, before this worker's plugins have
     * loaded: the session proves the application's secret and names the master's plugin set
     * (the worker checks its own against it before it registers).
     */
    private void openMasterLink() {
        WorkerBootstrap.Master master = bootstrap.master();
        SessionContext beforePlugins = new SessionContext(context.transport(), context.settings(), context.secret(),
                master.fingerprint(), master.registryDescription());
        masterLink = ClientConnection.openControl(beforePlugins,
                new WorkerRef("master", master.id(), "master", master.address()), ServerRole.MASTER);
        watch.useLink(masterLink);
    }

    /**
     * Registers with the master over the link to it (opened now if it could not be at the
     * start). A pooled worker registers twice: once when warm, under its pool id (with its
     * server's address, for the master's parked link), and once assigned.
     */
    private void register(String address, Messages.RemoteError initError) {
        if (masterLink == null) {
            openMasterLink();
        }
        byte[] registration = Messages.REGISTRATION.encode(
                new Messages.Registration(bootstrap.workerId(), address, initError));
        ClientConnection.await(masterLink.callRaw(BuiltinFunctions.REGISTER, registration, "built-in 'register'"));
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
                        .get(context.settings().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                System.err.println("rpc-parallel worker '" + bootstrap.workerName()
                        + "': could not report the failure to its master: " + e);
            }
        }
        WorkerExit.exit(WorkerExit.REPORTED_FAILURE, null);
    }

    /** What the watch of the master means for this worker, in its shutdown mode. */
    private final class WatchListener implements MasterWatch.Listener {
        @Override
        public void released() {
            if (mode != ShutdownOn.CALLED_SHUTDOWN) {
                WorkerExit.exit(WorkerExit.DONE, null);
            }
        }

        @Override
        public void assigned(WorkerBootstrap.Assignment assigned) {
            assignment.complete(assigned);
        }

        @Override
        public void masterGone(String why) {
            if (mode != ShutdownOn.CALLED_SHUTDOWN) {
                WorkerExit.exit(WorkerExit.MASTER_GONE, "rpc-parallel worker '" + bootstrap.workerName() + "': "
                        + why + "; exiting");
            } else {
                String name = bootstrap.workerName();
                switch (registration.masterGone()) {
                    case EXIT -> WorkerExit.exit(WorkerExit.MASTER_GONE, "rpc-parallel worker '" + name + "': "
                            + why + " before its spawn returned, so nobody holds this worker; exiting");
                    case AWAIT_ANSWER -> registration.exitUnlessAnswered(context.timer(),
                            bootstrap.settings().handshakeTimeout(), name, why);
                    case STAY -> { } // its spawn returned: it outlives its master
                }
            }
        }
    }
}
