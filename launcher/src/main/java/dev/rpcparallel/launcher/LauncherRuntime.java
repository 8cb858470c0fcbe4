package dev.rpcparallel.launcher;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Throwables;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ForegroundWorker;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.api.runtime.ParallelRuntime;
import dev.rpcparallel.launcher.liveness.WorkerHeartbeats;
import dev.rpcparallel.launcher.process.ExitStatus;
import dev.rpcparallel.launcher.process.WarmWorkerProcess;
import dev.rpcparallel.launcher.process.ClasspathArgFile;
import dev.rpcparallel.launcher.process.ProcessOptionsCheck;
import dev.rpcparallel.launcher.process.WorkerBootstrap;
import dev.rpcparallel.launcher.process.WorkerProcess;
import dev.rpcparallel.launcher.registry.BackgroundRegistry;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.server.Endpoint;
import dev.rpcparallel.launcher.protocol.handshake.HandshakeKey;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.server.WorkerEndpoint;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.sharing.SharedWorkers;
import dev.rpcparallel.launcher.warm.ParkedLink;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The launcher's implementation of {@link ParallelRuntime}: one per JVM, found by
 * {@code Parallel} with {@link java.util.ServiceLoader}.
 *
 * <p>As a master it holds the application's secret and settings, a registration server that
 * spawned workers report to, and the worker processes it started. In a worker process it is
 * configured from the bootstrap on stdin, and may be a master in turn.
 */
public final class LauncherRuntime implements ParallelRuntime {
    /**
     * The logger, created at first use: a worker's main thread then reads its bootstrap while
     * Log4j's API starts on the registry's thread, instead of waiting for it.
     */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(LauncherRuntime.class);
    }
    private static final String MASTER_TYPE = "master";

    private final Object lock = new Object();
    private final ExecutorService executor = Executors.newCachedThreadPool(
            daemonThreads("rpc-parallel-call-"));
    private final ScheduledExecutorService timer = newTimer();
    private final AtomicInteger workerCounter = new AtomicInteger();
    private final Map<String, CompletableFuture<Messages.Registration>> pendingRegistrations = new ConcurrentHashMap<>();
    private final Map<String, SpawnedWorker> children = new ConcurrentHashMap<>();
    private final Map<String, RpcServer> servedWorkers = new ConcurrentHashMap<>();
    private final AtomicInteger warmCounter = new AtomicInteger();
    private final WarmPool warmPool = new WarmPool(this::startWarm, executor);
    /** Parked links of handed-over pooled workers, by worker id, for their first connect. */
    private final Map<String, ParkedLink> parkedLinks = new ConcurrentHashMap<>();
    private final AtomicInteger adoptedLinks = new AtomicInteger();

    private volatile RpcSettings settings;
    private volatile byte[] secret;
    private volatile PluginRegistry registry;
    private volatile Transport transport;
    private volatile RpcServer masterServer;
    /** The heartbeats of this master's spawned workers, watched once its registration server runs. */
    private volatile WorkerHeartbeats workerHeartbeats;
    private volatile String masterId;
    private volatile String classpathArguments;
    private volatile String parentMarker;
    private boolean shutdownHookInstalled;

    public LauncherRuntime() {}

    /**
     * Daemon threads named {@code prefix} and a number. Not Guava's {@code setNameFormat}: its
     * {@code String.format} loads {@code Formatter} and locale data on the worker's start path.
     */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static ScheduledExecutorService newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                daemonThreads("rpc-parallel-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    // ---------------------------------------------------------------- configuration

    @Override
    public void initMaster(RpcSettings newSettings) {
        requireNonNull(newSettings, "newSettings");
        synchronized (lock) {
            if (settings != null) {
                if (settings.equals(withEnvironmentOverrides(newSettings))) {
                    return;
                }
                if (masterServer != null || !children.isEmpty() || !servedWorkers.isEmpty()) {
                    throw new IllegalStateException("The master is already running with " + settings
                            + "; settings cannot change once workers exist. Call initMaster before the first spawn.");
                }
            }
            configure(withEnvironmentOverrides(newSettings), freshSecret());
        }
    }

    /** A master's settings: what its code chose, overridden by {@value RpcSettings#ENVIRONMENT_VARIABLE}. */
    private static RpcSettings withEnvironmentOverrides(RpcSettings settings) {
        try {
            return settings.withOverrides(System.getenv(RpcSettings.ENVIRONMENT_VARIABLE));
        } catch (IllegalArgumentException e) { // the user's environment, not the caller's argument
            throw new dev.rpcparallel.api.RpcParallelException(e.getMessage(), e);
        }
    }

    private void configure(RpcSettings newSettings, byte[] newSecret) {
        Transport found = Transports.find(newSettings.transport(), classLoader());
        this.settings = newSettings;
        this.secret = newSecret;
        this.transport = found;
    }

    private static byte[] freshSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private void ensureInitialized() {
        if (settings == null) {
            synchronized (lock) {
                if (settings == null) {
                    configure(withEnvironmentOverrides(RpcSettings.defaults()), freshSecret());
                }
            }
        }
    }

    @Override
    public RpcSettings settings() {
        ensureInitialized();
        return settings;
    }

    /** The worker types of this process, loaded on first use. */
    public PluginRegistry registry() {
        PluginRegistry loaded = registry;
        if (loaded == null) {
            synchronized (lock) {
                loaded = registry;
                if (loaded == null) {
                    ClassLoader classLoader = classLoader();
                    CompletableFuture<PluginRegistry> loading = WorkerMain.takeRegistryLoading(classLoader);
                    loaded = loading != null ? BackgroundRegistry.join(loading) : PluginRegistry.load(classLoader);
                    registry = loaded;
                }
            }
        }
        return loaded;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LauncherRuntime.class.getClassLoader();
    }

    @Override
    public boolean isWorkerProcess() {
        return dev.rpcparallel.api.Parallel.isWorkerProcess();
    }

    // ---------------------------------------------------------------- master side

    @Override
    public <I> WorkerRef spawn(WorkerType<I, ?> type, I initArg, SpawnOptions options) {
        return start(type, initArg, options, false).worker();
    }

    @Override
    public <I> ForegroundWorker spawnInForeground(WorkerType<I, ?> type, I initArg, SpawnOptions options) {
        return start(type, initArg, options, true);
    }

    @Override
    public <I, A> Connection spawnAndConnect(WorkerType<I, A> type, I initArg, A connectionArg, SpawnOptions options) {
        WorkerRef worker = spawn(type, initArg, options.toBuilder().shutdownOn(ShutdownOn.CONNECTION_CLOSED).build());
        return connect(worker, connectionArg);
    }

    private <I> ForegroundWorker start(WorkerType<I, ?> type, I initArg, SpawnOptions options, boolean foreground) {
        ensureInitialized();
        RegisteredType registered = registry().require(type.name());
        byte[] encodedInit = encodeInitArg(type, initArg);
        String name = options.name().orElseGet(() -> type.name() + "-" + workerCounter.incrementAndGet());
        ProcessOptionsCheck.requireStartable(name, options);
        String workerId = UUID.randomUUID().toString();
        RpcServer registrations = masterServer();
        WorkerHeartbeats heartbeats = workerHeartbeats;
        WorkerBootstrap bootstrap = bootstrap(workerId, name, registered.name(), encodedInit,
                options.shutdownOn().name(), options.connectionTimeout().toMillis(), registrations.address(), false);

        CompletableFuture<Messages.Registration> registration = new CompletableFuture<>();
        pendingRegistrations.put(workerId, registration);
        WorkerProcess process = foreground ? null : handOverWarm(bootstrap, options).orElse(null);
        if (process == null) {
            try {
                process = WorkerProcess.start(bootstrap, options, classpathArguments(), parentMarker(), foreground);
            } catch (IOException | RuntimeException e) {
                pendingRegistrations.remove(workerId);
                throw new SpawnException("Cannot start a JVM for worker '" + name + "': " + e.getMessage(), e);
            }
        }
        SpawnedWorker spawned = new SpawnedWorker(workerId, name, process);
        children.put(workerId, spawned);
        process.process().onExit().thenRunAsync(() -> {
            closeParkedLink(workerId);
            children.remove(workerId);
            heartbeats.forget(workerId);
            spawned.exited();
        }, executor);
        try {
            WorkerRef worker = awaitRegistration(type, name, workerId, registration, process, options);
            spawned.registered();
            if (spawned.diesWithMaster()) {
                // A worker that outlives its master sends no heartbeats; the others are hung when they stop.
                heartbeats.watch(workerId, name, spawned::lost);
            }
            return new ForegroundWorker(worker, process.process());
        } finally {
            pendingRegistrations.remove(workerId);
            // After a handover, not during it: a JVM starting meanwhile would slow it down.
            warmPool.refill();
        }
    }

    private WorkerBootstrap bootstrap(String workerId, String name, String workerType, byte[] initArg,
            String shutdownOn, long connectionTimeoutMillis, String masterAddress, boolean pooled) {
        return new WorkerBootstrap(workerId, name, workerType, initArg, masterId, masterAddress,
                ProcessHandle.current().pid(), shutdownOn, connectionTimeoutMillis, secret, registry().fingerprint(),
                registry().description(), settings.transport(), settings.bindHost(), settings.advertisedHost(),
                settings.maxMessageSize(), settings.handshakeTimeout().toMillis(), settings.connectTimeout().toMillis(),
                settings.heartbeatInterval().toMillis(), settings.heartbeatTimeout().toMillis(),
                settings.tls() == null ? "" : settings.tls().keyStore(),
                settings.tls() == null ? "" : settings.tls().keyStorePassword(),
                settings.tls() == null ? "" : settings.tls().trustStore(),
                settings.tls() == null ? "" : settings.tls().trustStorePassword(), settings.streamWindowBytes(),
                settings.directPipeQueueBytes(), pooled,
                settings.defaultCallTimeout() == null ? 0 : settings.defaultCallTimeout().toMillis(),
                settings.receiveBudget(), settings.callThreads());
    }

    // ---------------------------------------------------------------- warm pool

    @Override
    public void keepWarm(int workers, SpawnOptions processOptions) {
        requireNonNull(processOptions, "processOptions");
        if (workers < 0) {
            throw new IllegalArgumentException("keepWarm needs a number of idle workers of 0 or more (0 turns the"
                    + " warm pool off), not " + workers);
        }
        ensureInitialized();
        ProcessOptionsCheck.requireStartable("warm-pool", processOptions);
        if (workers > 0) {
            masterServer();
        }
        warmPool.keepWarm(workers, processOptions);
    }

    /** Starts one pooled worker; its ready future completes when it registers under its pool id. */
    private WarmPool.Started startWarm(SpawnOptions processOptions) throws IOException {
        String poolName = "warm-" + warmCounter.incrementAndGet();
        String poolId = "warm-" + UUID.randomUUID();
        WorkerBootstrap bootstrap = bootstrap(poolId, poolName, "", new byte[0],
                ShutdownOn.HEARTBEAT_TIMEOUT.name(), 0, masterServer().address(), true);
        CompletableFuture<Messages.Registration> ready = new CompletableFuture<>();
        pendingRegistrations.put(poolId, ready);
        try {
            WarmWorkerProcess process = WarmWorkerProcess.start(bootstrap, processOptions, classpathArguments(),
                    parentMarker());
            process.process().onExit().thenRun(() -> pendingRegistrations.remove(poolId));
            ready.whenComplete((registration, error) -> pendingRegistrations.remove(poolId));
            CompletableFuture<Messages.Registration> linked = ready.thenApplyAsync(registration -> {
                parkLink(process, new WorkerRef("", poolId, poolName, registration.address()));
                return registration;
            }, executor);
            return new WarmPool.Started(process, linked);
        } catch (IOException | RuntimeException e) {
            pendingRegistrations.remove(poolId);
            throw e;
        }
    }

    /**
     * Opens and authenticates the master's link to an idle pooled worker now, so that the first
     * connect after its handover only runs the connection-state init on it. Only an
     * optimisation: without it, that connect opens a link as any other.
     */
    private void parkLink(WarmWorkerProcess process, WorkerRef pooled) {
        if (pooled.address() == null || pooled.address().isEmpty()) {
            return;
        }
        try {
            process.attachLink(ParkedLink.open(sessionContext(), pooled));
        } catch (RuntimeException e) {
            Log.LOG.debug("No parked link to warm worker '{}': {}", pooled.name(), e.toString());
        }
    }

    private void closeParkedLink(String workerId) {
        ParkedLink parked = parkedLinks.remove(workerId);
        if (parked != null) {
            parked.close();
        }
    }

    /** How many connects adopted a pooled worker's parked link, for tests and diagnostics. */
    int adoptedLinks() {
        return adoptedLinks.get();
    }

    /** The parked links of the idle pooled workers, for tests and diagnostics. */
    List<ParkedLink> idleLinks() {
        return warmPool.idleLinks();
    }

    /** Hands an idle pooled worker over to this spawn, if the pool has one that fits its options. */
    private Optional<WorkerProcess> handOverWarm(WorkerBootstrap bootstrap, SpawnOptions options) {
        Optional<WarmWorkerProcess> warm = warmPool.take(options);
        if (warm.isEmpty()) {
            return Optional.empty();
        }
        try {
            WorkerProcess process = warm.get().handOver(new WorkerBootstrap.Assignment(bootstrap.workerId(),
                    bootstrap.workerName(), bootstrap.workerType(), bootstrap.initArg(), bootstrap.shutdownOn(),
                    bootstrap.connectionTimeoutMillis()), options);
            warm.get().takeLink().ifPresent(link -> parkedLinks.put(bootstrap.workerId(), link));
            return Optional.of(process);
        } catch (IOException e) {
            // It died between the pool's check and now: spawn cold instead.
            Log.LOG.debug("Warm worker '{}' could not be handed over: {}", warm.get().poolName(), e.toString());
            warm.get().process().destroyForcibly();
            return Optional.empty();
        }
    }

    /** How many idle workers the warm pool keeps; 0 when it is off. */
    int warmPoolTarget() {
        return warmPool.target();
    }

    /** The idle processes of the warm pool, for tests and diagnostics. */
    public List<Process> warmProcesses() {
        return warmPool.idleProcesses();
    }

    private <I> WorkerRef awaitRegistration(WorkerType<I, ?> type, String name, String workerId,
            CompletableFuture<Messages.Registration> registration, WorkerProcess process, SpawnOptions options) {
        CompletableFuture<Object> registeredOrExited = CompletableFuture.anyOf(registration, process.process().onExit());
        try {
            registeredOrExited.get(options.spawnTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.process().destroyForcibly();
            throw new SpawnException("Worker '" + name + "' (" + type.name() + ") did not register within "
                    + options.spawnTimeout().toMillis() + " ms, so it was killed. What it printed:\n"
                    + process.lastOutput());
        } catch (InterruptedException e) {
            process.process().destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SpawnException("Interrupted while spawning worker '" + name + "'; it was killed", e);
        } catch (ExecutionException e) {
            throw new SpawnException("Spawning worker '" + name + "' failed: " + e.getCause(), e.getCause());
        }
        Messages.Registration registered = registration.getNow(null);
        if (registered == null) {
            int status = process.process().exitValue();
            throw new SpawnException("Worker '" + name + "' (" + type.name() + ") exited during start with "
                    + ExitStatus.describe(status) + ". What it printed:\n" + process.lastOutput()
                    + "Command: " + String.join(" ", process.command()));
        }
        if (registered.initError() != null) {
            Messages.RemoteError error = registered.initError();
            RemoteException remote = new RemoteException(name, error.origin(), error.type(), error.message(),
                    error.stackTrace());
            throw new SpawnException("Worker '" + name + "' (" + type.name() + ") failed in its worker-state init: "
                    + error.type() + (error.message() == null ? "" : ": " + error.message()), remote);
        }
        return new WorkerRef(type.name(), workerId, name, registered.address());
    }

    private static <I> byte[] encodeInitArg(WorkerType<I, ?> type, I initArg) {
        return Payloads.encode(type.initArgCodec(), initArg, "the init argument of worker type '" + type.name() + "'",
                null);
    }

    /**
     * The master's registration server, as its spawned workers reach it (id and address);
     * started if it was not. For tests and diagnostics.
     */
    WorkerRef registrationServer() {
        String address = masterServer().address();
        return new WorkerRef("master", masterId, "master", address);
    }

    private RpcServer masterServer() {
        RpcServer server = masterServer;
        if (server != null) {
            return server;
        }
        synchronized (lock) {
            if (masterServer == null) {
                masterId = "master-" + UUID.randomUUID();
                try {
                    workerHeartbeats = new WorkerHeartbeats(settings.heartbeatInterval(),
                            settings.heartbeatTimeout(), timer, executor);
                    masterServer = new RpcServer(sessionContext(), new RegistrationDesk(), executor, timer);
                } catch (IOException e) {
                    throw new SpawnException("Cannot start the master's registration server on "
                            + settings.bindHost() + ": " + e.getMessage(), e);
                }
                installShutdownHook();
            }
            return masterServer;
        }
    }

    private String classpathArguments() {
        synchronized (lock) {
            if (classpathArguments == null) {
                classpathArguments = WorkerProcess.classpathArguments();
            }
            return classpathArguments;
        }
    }

    private String parentMarker() {
        if (parentMarker == null) {
            parentMarker = "child-of-" + ProcessHandle.current().pid() + "@" + hostName();
        }
        return parentMarker;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Kills the children if the master's JVM exits without shutting them down (Ctrl-C, SIGTERM). */
    private void installShutdownHook() {
        if (!shutdownHookInstalled) {
            shutdownHookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                warmPool.killAll();
                for (SpawnedWorker child : children.values()) {
                    if (child.diesWithMaster()) {
                        child.process().process().destroyForcibly();
                    }
                }
            }, "rpc-parallel-kill-workers"));
        }
    }

    /** Takes the registrations of spawned workers. */
    private final class RegistrationDesk implements Endpoint {
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
                workerHeartbeats.heard(arg);
                return Frame.noPayload();
            }
            if (functionId == BuiltinFunctions.REPORT_FAILURE) {
                Messages.FailureReport report = Messages.FAILURE_REPORT.decode(arg);
                SpawnedWorker worker = children.get(report.workerId());
                if (worker != null) {
                    worker.reported(report.error());
                }
                return Frame.noPayload();
            }
            Messages.Registration registration = Messages.REGISTRATION.decode(arg);
            CompletableFuture<Messages.Registration> pending = pendingRegistrations.get(registration.workerId());
            if (pending == null) {
                throw new IllegalStateException("no spawn is waiting for worker " + registration.workerId()
                        + " (it registered after its spawn timed out?)");
            }
            pending.complete(registration);
            return Frame.noPayload();
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

    @Override
    public <I> WorkerRef serve(WorkerType<I, ?> type, I initArg) {
        ensureInitialized();
        RegisteredType registered = registry().require(type.name());
        String name = type.name() + "-" + workerCounter.incrementAndGet();
        Object state;
        try {
            state = registered.plugin().initWorkerState(type.initArgCodec().decode(encodeInitArg(type, initArg)));
        } catch (Exception e) {
            RemoteException remote = new RemoteException(name, "worker-state init", e.getClass().getName(),
                    e.getMessage(), Throwables.getStackTraceAsString(e));
            throw new SpawnException("Worker '" + name + "' (" + type.name() + ") failed in its worker-state init: "
                    + e, remote);
        }
        WorkerEndpoint endpoint = new WorkerEndpoint(registered, state, UUID.randomUUID().toString(), name,
                () -> stopServing(name));
        RpcServer server;
        try {
            server = new RpcServer(sessionContext(), endpoint, executor, timer);
        } catch (IOException e) {
            throw new SpawnException("Cannot start a server for worker '" + name + "' on " + settings.bindHost()
                    + ": " + e.getMessage(), e);
        }
        WorkerRef self = endpoint.publishAt(server.address());
        servedWorkers.put(name, server);
        return self;
    }

    private void stopServing(String name) {
        RpcServer server = servedWorkers.remove(name);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public Connection connect(WorkerRef worker, Object connectionArg) {
        ensureInitialized();
        return connect(worker, HandshakeKey.ofSecret(secret), connectionArg);
    }

    @Override
    public Connection connect(WorkerAccess access, Object connectionArg) {
        ensureInitialized();
        return connect(access.worker(), HandshakeKey.ofWorker(access.worker().id(), access.key()), connectionArg);
    }

    @Override
    public void shutdown(WorkerAccess access) {
        ensureInitialized();
        SharedWorkers.shutdown(transport, settings, access);
    }

    @Override
    public Path exportAccess(WorkerRef worker) {
        ensureInitialized();
        return SharedWorkers.export(worker, secret);
    }

    @Override
    public WorkerAccess loadAccess(Path file) {
        return SharedWorkers.load(file);
    }

    /** What every client and server session of this process is made with. */
    private SessionContext sessionContext() {
        return new SessionContext(transport, settings, secret, registry().fingerprint(), registry().description());
    }

    private Connection connect(WorkerRef worker, HandshakeKey key, Object connectionArg) {
        RegisteredType type = registry().require(worker.workerType());
        byte[] arg = Payloads.encodeChecked(type.type().connectionArgCodec(), connectionArg,
                "the connection argument of worker type '" + type.name() + "'");
        FunctionIds functionIds = FunctionIds.of(type);
        // The first connect to a worker handed over by the warm pool adopts the link parked to it.
        ParkedLink parked = parkedLinks.remove(worker.id());
        ClientConnection connection = parked == null ? null : parked.adopt(worker, arg, functionIds);
        if (connection != null) {
            adoptedLinks.incrementAndGet();
        } else {
            connection = ClientConnection.open(sessionContext(), key, worker, arg, functionIds);
        }
        SpawnedWorker child = children.get(worker.id());
        if (child != null) {
            connection.explainLossWith(child::explainLoss);
        }
        return connection;
    }

    @Override
    public void shutdown(WorkerRef worker) {
        ensureInitialized();
        try (ClientConnection connection = ClientConnection.openControl(sessionContext(), worker)) {
            connection.shutdownWorker();
        }
    }

    @Override
    public void shutdownAll() {
        for (RpcServer server : servedWorkers.values()) {
            server.close();
        }
        servedWorkers.clear();
        List<Process> warm = warmPool.stop();
        for (String workerId : List.copyOf(parkedLinks.keySet())) {
            closeParkedLink(workerId);
        }
        List<WorkerProcess> running = children.values().stream()
                .filter(SpawnedWorker::diesWithMaster).map(SpawnedWorker::process).toList();
        for (WorkerProcess child : running) {
            child.release();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Process idle : warm) {
            try {
                if (!idle.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    idle.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                idle.destroyForcibly();
            }
        }
        for (WorkerProcess child : running) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!child.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    Log.LOG.warn("Worker '{}' did not exit within 5 s of its master's shutdown; killing it", child.name());
                    child.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.process().destroyForcibly();
            }
        }
        synchronized (lock) {
            if (masterServer != null) {
                masterServer.close();
                masterServer = null;
                workerHeartbeats.close();
            }
        }
    }

    /** How many spawns wait for their worker to register, for tests and diagnostics. */
    int pendingRegistrationCount() {
        return pendingRegistrations.size();
    }

    /** The worker processes started by this runtime and still running, for tests and diagnostics. */
    public List<Process> childProcesses() {
        return children.values().stream().map(child -> child.process().process()).filter(Process::isAlive).toList();
    }

    // ---------------------------------------------------------------- worker side

    @Override
    public void runAsWorker() {
        ClasspathArgFile.deleteOwn();
        WorkerBootstrap bootstrap;
        try {
            bootstrap = WorkerBootstrap.readFrom(System.in);
        } catch (IOException | RuntimeException e) {
            exitWorker(2, "rpc-parallel worker: cannot read its configuration from stdin: " + e.getMessage());
            return;
        }
        try {
            new WorkerProcessMain(this, bootstrap).run();
        } catch (Throwable e) {
            exitWorker(1, "rpc-parallel worker '" + bootstrap.workerName() + "' failed: "
                    + Throwables.getStackTraceAsString(e));
        }
    }

    /** Configures this runtime from a worker's bootstrap: the master's settings and secret. */
    void configureAsWorker(WorkerBootstrap bootstrap) {
        synchronized (lock) {
            configure(bootstrap.settings(), bootstrap.secret().clone());
        }
    }

    Transport transport() {
        return transport;
    }

    byte[] secret() {
        return secret;
    }

    ExecutorService executor() {
        return executor;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Ends a worker process: says why on stderr, flushes, exits. */
    static void exitWorker(int status, String message) {
        if (message != null) {
            System.err.println(message);
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
