package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ForegroundWorker;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.api.runtime.ParallelRuntime;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.master.Master;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.warm.ParkedLink;
import dev.rpcparallel.launcher.protocol.handshake.HandshakeKey;
import dev.rpcparallel.launcher.sharing.SharedWorkers;
import dev.rpcparallel.launcher.worker.WorkerLifecycle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's implementation of {@link ParallelRuntime}: one per JVM, found by
 * {@code Parallel} with {@link java.util.ServiceLoader}. It wires the parts and answers the
 * service; the work is theirs: the {@link RuntimeContext} (settings, secret, transport,
 * registry, threads), the {@link Master} (spawned, pooled and served workers), the
 * {@link WorkerLifecycle} of a spawned worker's process.
 *
 * <p>As a master it holds the application's secret and settings, a registration server that
 * spawned workers report to, and the worker processes it started. In a worker process it is
 * configured from the bootstrap on stdin, and may be a master in turn.
 */
public final class LauncherRuntime implements ParallelRuntime {
    private final RuntimeContext context = new RuntimeContext();
    /** Made at first use: a worker that is no master does not load its classes. */
    private volatile Master master;

    public LauncherRuntime() {}

    private Master master() {
        Master made = master;
        if (made == null) {
            synchronized (context) {
                made = master;
                if (made == null) {
                    made = new Master(context);
                    master = made;
                }
            }
        }
        return made;
    }

    // ---------------------------------------------------------------- configuration

    @Override
    public void initMaster(RpcSettings newSettings) {
        context.configureMaster(newSettings, () -> master != null && master.workersExist());
    }

    @Override
    public RpcSettings settings() {
        return context.settings();
    }

    /** The worker types of this process, loaded on first use. */
    public PluginRegistry registry() {
        return context.registry();
    }

    @Override
    public boolean isWorkerProcess() {
        return Parallel.isWorkerProcess();
    }

    // ---------------------------------------------------------------- master side

    @Override
    public <I> WorkerRef spawn(WorkerType<I, ?> type, I initArg, SpawnOptions options) {
        return master().spawn(type, initArg, options, false).worker();
    }

    @Override
    public <I> ForegroundWorker spawnInForeground(WorkerType<I, ?> type, I initArg, SpawnOptions options) {
        return master().spawn(type, initArg, options, true);
    }

    @Override
    public <I, A> Connection spawnAndConnect(WorkerType<I, A> type, I initArg, A connectionArg, SpawnOptions options) {
        WorkerRef worker = spawn(type, initArg, options.toBuilder().shutdownOn(ShutdownOn.CONNECTION_CLOSED).build());
        return connect(worker, connectionArg);
    }

    @Override
    public void keepWarm(int workers, SpawnOptions processOptions) {
        context.settings();
        master().keepWarm(workers, processOptions);
    }

    @Override
    public <I> WorkerRef serve(WorkerType<I, ?> type, I initArg) {
        return master().serve(type, initArg);
    }

    @Override
    public Connection connect(WorkerRef worker, Object connectionArg) {
        return connect(worker, HandshakeKey.ofSecret(context.secret()), connectionArg);
    }

    @Override
    public Connection connect(WorkerAccess access, Object connectionArg) {
        return connect(access.worker(), HandshakeKey.ofWorker(access.worker().id(), access.key()), connectionArg);
    }

    private Connection connect(WorkerRef worker, HandshakeKey key, Object connectionArg) {
        RegisteredType type = context.registry().require(worker.workerType());
        byte[] arg = Payloads.encodeChecked(type.type().connectionArgCodec(), connectionArg,
                "the connection argument of worker type '" + type.name() + "'");
        FunctionIds functionIds = FunctionIds.of(type);
        // The first connect to a worker handed over by the warm pool adopts the link parked to it.
        Master spawner = master;
        ClientConnection connection = Optional.ofNullable(spawner)
                .flatMap(current -> current.warmPools().adoptLink(worker, arg, functionIds))
                .orElseGet(() -> ClientConnection.open(context.session(), key, worker, arg, functionIds));
        if (spawner != null) {
            spawner.lossExplainer(worker.id()).ifPresent(connection::explainLossWith);
        }
        return connection;
    }

    @Override
    public void shutdown(WorkerRef worker) {
        try (ClientConnection connection = ClientConnection.openControl(context.session(), worker)) {
            connection.shutdownWorker();
        }
    }

    @Override
    public void shutdown(WorkerAccess access) {
        SharedWorkers.shutdown(context.transport(), context.settings(), access);
    }

    @Override
    public Path exportAccess(WorkerRef worker) {
        return SharedWorkers.export(worker, context.secret());
    }

    @Override
    public WorkerAccess loadAccess(Path file) {
        return SharedWorkers.load(file);
    }

    @Override
    public void shutdownAll() {
        Master current = master;
        if (current != null) {
            current.shutdownAll();
        }
    }

    // ---------------------------------------------------------------- worker side

    @Override
    public void runAsWorker() {
        WorkerLifecycle.runThisProcess(context);
    }

    // ---------------------------------------------------------------- for tests and diagnostics

    /** What this runtime's parts share: settings, secret, transport, registry, threads. */
    RuntimeContext context() {
        return context;
    }

    /** The master's registration server, as its spawned workers reach it (id and address); started if it was not. */
    WorkerRef registrationServer() {
        context.settings();
        return master().registrationServer();
    }

    /** How many spawns wait for their worker to register. */
    int pendingRegistrationCount() {
        return master().pendingRegistrationCount();
    }

    /** How many links of its workers the master's registration server holds. */
    int registrationLinkCount() {
        return master().registrationLinkCount();
    }

    /** The worker processes started by this runtime and still running. */
    public List<Process> childProcesses() {
        return master().childProcesses();
    }

    /** How many idle workers the warm pool keeps; 0 when it is off. */
    int warmPoolTarget() {
        return master().warmPools().target();
    }

    /** The idle processes of the warm pool. */
    public List<Process> warmProcesses() {
        return master().warmPools().idleProcesses();
    }

    /** The idle processes of the warm pool of {@code launcher}. */
    public List<Process> warmProcesses(java.net.URI launcher) {
        return master().warmPools().idleProcesses(launcher);
    }

    /** How many connects adopted a pooled worker's parked link. */
    int adoptedLinks() {
        return master().warmPools().adoptedLinks();
    }

    /** The parked links of the idle pooled workers. */
    List<ParkedLink> idleLinks() {
        return master().warmPools().idleLinks();
    }
}
