package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.ForegroundWorker;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.fork.ProcessOptionsCheck;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerClasspath;
import dev.rpcparallel.launcher.fork.WorkerCommand;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import dev.rpcparallel.launcher.liveness.WorkerHeartbeats;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.warm.WarmPools;
import dev.rpcparallel.spi.launch.LaunchException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts worker processes and waits for them to register: a cold JVM, or an idle one of the
 * warm pool of its launcher handed over, and the pools' own JVMs ({@link WarmPools.Starter}).
 * Thread-safe.
 */
final class Spawner implements WarmPools.Starter {
    private final RuntimeContext context;
    private final RegistrationDesk desk;
    private final SpawnedWorkers children;
    private final AtomicInteger workerCounter;
    private final Launchers launchers;
    private final RemoteSecrecy secrecy = new RemoteSecrecy();
    private WarmPools pools;
    private List<String> classpathArguments;
    private String parentMarker;

    Spawner(RuntimeContext context, RegistrationDesk desk, SpawnedWorkers children, AtomicInteger workerCounter) {
        this.context = context;
        this.launchers = new Launchers(RuntimeContext.classLoader());
        this.desk = desk;
        this.children = children;
        this.workerCounter = workerCounter;
    }

    /** Releases the launchers' connections (ssh master connections); workers keep running. */
    void closeLaunchers() {
        launchers.close();
    }

    /** The pools whose idle workers spawns take first. */
    void usePools(WarmPools warmPools) {
        this.pools = warmPools;
    }

    /**
     * Where a spawn with these options starts (its launcher, else the next default one).
     *
     * @throws SpawnException when no launcher serves it or it cannot work here
     */
    WorkerLaunch launch(String workerName, SpawnOptions options) {
        return launchers.choose(workerName, options, context.settings());
    }

    <I> ForegroundWorker start(WorkerType<I, ?> type, I initArg, SpawnOptions options, boolean foreground) {
        RegisteredType registered = context.registry().require(type.name());
        byte[] encodedInit = encodeInitArg(type, initArg);
        String name = options.name().orElseGet(() -> type.name() + "-" + workerCounter.incrementAndGet());
        ProcessOptionsCheck.requireStartable(name, options);
        String workerId = UUID.randomUUID().toString();
        WorkerRef master = desk.master();
        WorkerHeartbeats heartbeats = desk.heartbeats();
        WorkerBootstrap.Assignment assignment = new WorkerBootstrap.Assignment(workerId, name, registered.name(),
                encodedInit, options.shutdownOn().name(), options.connectionTimeout().toMillis());

        WorkerLaunch launch = launchers.choose(name, options, context.settings());
        String masterAddress = MasterAddressForRemote.of(master.address(), launch, context.settings(), name);
        secrecy.require(launch, context.settings(), context.tls().isOn(), name);
        long started = System.nanoTime();
        CompletableFuture<Messages.Registration> registration = desk.expect(workerId);
        WorkerProcess process = foreground ? null : pools.handOver(assignment, options, launch).orElse(null);
        if (process == null) {
            try {
                process = WorkerProcess.start(bootstrap(assignment, master.id(), masterAddress, launch, options, false),
                        options,
                        classpathArguments(), parentMarker(), foreground, launch, options.spawnTimeout());
            } catch (LaunchException e) {
                desk.forget(workerId);
                throw new SpawnException("Cannot start worker '" + name + "' with launcher " + launch + ": "
                        + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                desk.forget(workerId);
                throw new SpawnException("Cannot start a JVM for worker '" + name + "'" + (launch.isPlainLocal() ? ""
                        : " with launcher " + launch) + ": " + e.getMessage(), e);
            }
        }
        SpawnedWorker spawned = new SpawnedWorker(workerId, name, process);
        children.add(spawned, () -> heartbeats.forget(workerId), context.executor());
        try {
            Duration left = options.spawnTimeout().minusNanos(System.nanoTime() - started);
            WorkerRef worker = awaitRegistration(type, name, workerId, registration, process, options,
                    left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
            spawned.registered();
            // The class-data archive's maker, if this spawn makes one, starts now, not beside the worker's own start.
            process.startArchiveMaker();
            if (spawned.diesWithMaster()) {
                // A worker that outlives its master sends no heartbeats; the others are hung when they stop.
                heartbeats.watch(workerId, name, spawned::lost);
            }
            return new ForegroundWorker(worker, process.process());
        } finally {
            desk.forget(workerId);
            process.forgoArchiveMaker();
            // After a handed-over worker's first answer, not during its start: a JVM starting meanwhile would slow it.
            pools.spawnEnded(workerId);
        }
    }

    /** Starts one pooled worker where {@code launch} says; it is ready when it registers under its pool id. */
    @Override
    public WarmPools.Started start(String poolId, String poolName, SpawnOptions processOptions, WorkerLaunch launch)
            throws IOException {
        WorkerBootstrap.Assignment placeholder = new WorkerBootstrap.Assignment(poolId, poolName, "", new byte[0],
                ShutdownOn.HEARTBEAT_TIMEOUT.name(), 0);
        WorkerRef master = desk.master();
        CompletableFuture<Messages.Registration> ready = desk.expect(poolId);
        try {
            String masterAddress = MasterAddressForRemote.of(master.address(), launch, context.settings(), poolName);
            WorkerBootstrap bootstrap = bootstrap(placeholder, master.id(), masterAddress, launch, processOptions,
                    true);
            WorkerProcess.Started process = WorkerProcess.startIdle(bootstrap, processOptions, classpathArguments(),
                    parentMarker(), launch, processOptions.spawnTimeout());
            process.process().onExit().thenRun(() -> desk.forget(poolId));
            ready.whenComplete((registration, error) -> desk.forget(poolId));
            return new WarmPools.Started(process, ready.thenApply(Messages.Registration::address));
        } catch (LaunchException | RuntimeException e) {
            desk.forget(poolId);
            throw new IOException("launcher " + launch + ": " + e.getMessage(), e);
        } catch (IOException e) {
            desk.forget(poolId);
            throw e;
        }
    }

    /**
     * @param launch where the worker starts
     * @param options the spawn's: a worker on this host with this master's class path listens on
     *     the transport this master chose, and is told its provider
     */
    private WorkerBootstrap bootstrap(WorkerBootstrap.Assignment assignment, String masterId, String masterAddress,
            WorkerLaunch launch, SpawnOptions options, boolean pooled) {
        long pid = launch.onThisHost() ? ProcessHandle.current().pid()
                : WorkerBootstrap.Master.ON_ANOTHER_HOST;
        boolean mastersOwn = launch.onThisHost() && WorkerCommand.sharesMastersClasspath(options);
        String transport = mastersOwn ? context.listeningTransportProvider() : "";
        WorkerBootstrap.ServedPlugin served = mastersOwn && !pooled
                ? servedPlugin(assignment.workerType()) : WorkerBootstrap.ServedPlugin.NONE;
        return new WorkerBootstrap(assignment, new WorkerBootstrap.Master(masterId, masterAddress,
                pid, context.secret(), context.tls().encodedKey(), context.registry().fingerprint(),
                context.registry().description()), context.settings(), pooled, transport, served);
    }

    /** The plugin of this type in the master's registry, as a worker sharing its class path finds it. */
    private WorkerBootstrap.ServedPlugin servedPlugin(String typeName) {
        return context.registry().type(typeName)
                .map(type -> new WorkerBootstrap.ServedPlugin(type.plugin().getClass().getName(), type.id(),
                        context.registry().listing().sources()))
                .orElse(WorkerBootstrap.ServedPlugin.NONE);
    }

    private <I> WorkerRef awaitRegistration(WorkerType<I, ?> type, String name, String workerId,
            CompletableFuture<Messages.Registration> registration, WorkerProcess process, SpawnOptions options,
            Duration left) {
        CompletableFuture<Object> registeredOrExited = CompletableFuture.anyOf(registration, process.process().onExit());
        try {
            registeredOrExited.get(left.toMillis(), TimeUnit.MILLISECONDS);
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
            throw new SpawnException("Worker '" + name + "' (" + type.name() + ") exited during start with "
                    + process.exitDescription() + ". What it printed:\n" + process.lastOutput()
                    + "Command: " + String.join(" ", process.command())
                    + WorkerClasspath.hintFor(process.lastOutput()));
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

    static <I> byte[] encodeInitArg(WorkerType<I, ?> type, I initArg) {
        try {
            return type.initArgCodec().encode(initArg);
        } catch (CodecException e) {
            throw new CodecException("Cannot encode the init argument of worker type '" + type.name()
                    + "' with codec " + type.initArgCodec().name() + ": " + e.getMessage(), e);
        }
    }

    /** The class path arguments of this master's workers, computed once: the class path does not change. */
    private synchronized List<String> classpathArguments() {
        if (classpathArguments == null) {
            classpathArguments = WorkerClasspath.arguments();
        }
        return classpathArguments;
    }

    /** {@code child-of-PID@HOST}, the last marker argument of this master's workers. */
    private synchronized String parentMarker() {
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
}
