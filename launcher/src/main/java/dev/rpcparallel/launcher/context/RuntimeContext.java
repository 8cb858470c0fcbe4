package dev.rpcparallel.launcher.context;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.protocol.IdleEndingPools;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.tls.ApplicationTls;
import dev.rpcparallel.spi.transport.Transport;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What every part of one runtime shares: its configuration (settings, the application's secret,
 * its generated TLS key if any, the transport they name), its plugin registry and its threads. A
 * master configures it from its code and the environment ({@link #configureMaster}), a worker from its bootstrap
 * ({@link #configureWorker}); unconfigured, it takes the default settings at first use.
 *
 * <p>Thread-safe. The configuration is replaced as a whole, never in parts.
 */
public final class RuntimeContext {
    private final Object lock = new Object();
    private final ExecutorService executor = IdleEndingPools.cached("rpc-parallel-call-");
    private final ScheduledExecutorService timer = IdleEndingPools.timer("rpc-parallel-timer-0");
    private volatile Configuration configuration;
    private volatile PluginRegistry registry;
    /** A type this process made on its own before its registry: the registry takes it, not a second plugin. */
    private volatile RegisteredType madeAlone;

    private record Configuration(RpcSettings settings, byte[] secret, ApplicationTls tls, Transport transport) {}

    /**
     * Configures a master with {@code requested}, overridden by
     * {@value RpcSettings#ENVIRONMENT_VARIABLE}, and a fresh secret; nothing changes if those are
     * the settings already.
     *
     * @param workersExist whether this master already runs workers, which then refuse a change
     * @throws IllegalStateException if the settings differ and workers exist
     */
    public void configureMaster(RpcSettings requested, BooleanSupplier workersExist) {
        requireNonNull(requested, "requested");
        RpcSettings settings = withEnvironmentOverrides(requested);
        synchronized (lock) {
            Configuration current = configuration;
            if (current != null) {
                if (current.settings().equals(settings)) {
                    return;
                }
                if (workersExist.getAsBoolean()) {
                    throw new IllegalStateException("The master is already running with " + current.settings()
                            + "; settings cannot change once workers exist. Call initMaster before the first spawn.");
                }
            }
            configureAsMaster(settings);
        }
    }

    /** A master's configuration: a fresh secret, and a fresh TLS key if its connections may cross hosts. */
    private void configureAsMaster(RpcSettings settings) {
        boolean crossesHosts = MasterBinding.launchesElsewhere(settings.launcher());
        configure(settings, freshSecret(), ApplicationTls.ofMaster(settings, crossesHosts));
    }

    /**
     * Configures a worker with its master's settings, secret and generated TLS key ({@code null}:
     * none), from its bootstrap.
     */
    public void configureWorker(RpcSettings settings, byte[] secret, byte[] tlsKey) {
        configureWorker(settings, secret, tlsKey, "");
    }

    /**
     * As {@link #configureWorker(RpcSettings, byte[], byte[])}, listening on the transport of
     * provider class {@code mastersTransport} that its master chose for it ({@code ""}: it
     * chooses; see {@link Transports#ofProcess(RpcSettings, ClassLoader, ApplicationTls, String)}).
     */
    public void configureWorker(RpcSettings settings, byte[] secret, byte[] tlsKey, String mastersTransport) {
        synchronized (lock) {
            configure(settings, secret.clone(), ApplicationTls.ofWorker(tlsKey), mastersTransport);
        }
    }

    private void configure(RpcSettings settings, byte[] secret, ApplicationTls tls) {
        configure(settings, secret, tls, "");
    }

    private void configure(RpcSettings settings, byte[] secret, ApplicationTls tls, String mastersTransport) {
        configuration = new Configuration(settings, secret, tls,
                Transports.ofProcess(settings, classLoader(), tls, mastersTransport));
    }

    /**
     * The provider class of the transport this process listens on: what a worker on its host
     * with its class path is told to listen on ({@code WorkerBootstrap#transportProvider}).
     */
    public String listeningTransportProvider() {
        Transport transport = transport();
        return transport instanceof AddressedTransport addressed ? addressed.listeningProvider()
                : transport.getClass().getName();
    }

    /**
     * A master's settings: what its code chose, overridden by {@value RpcSettings#ENVIRONMENT_VARIABLE},
     * listening where the workers of its default launcher reach it ({@link MasterBinding}).
     */
    private static RpcSettings withEnvironmentOverrides(RpcSettings settings) {
        try {
            return MasterBinding.reachable(settings.withOverrides(System.getenv(RpcSettings.ENVIRONMENT_VARIABLE)));
        } catch (IllegalArgumentException e) { // the user's environment, not the caller's argument
            throw new RpcParallelException(e.getMessage(), e);
        }
    }

    private static byte[] freshSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private Configuration configuration() {
        Configuration current = configuration;
        if (current == null) {
            synchronized (lock) {
                if (configuration == null) {
                    configureAsMaster(withEnvironmentOverrides(RpcSettings.defaults()));
                }
                current = configuration;
            }
        }
        return current;
    }

    public RpcSettings settings() {
        return configuration().settings();
    }

    /** The application's secret; not a copy: callers do not change it. */
    public byte[] secret() {
        return configuration().secret();
    }

    /** The application's generated TLS in this process: what its TCP connections use where the settings name no TLS. */
    public ApplicationTls tls() {
        return configuration().tls();
    }

    public Transport transport() {
        return configuration().transport();
    }

    /** What every client and server session of this process is made with. */
    public SessionContext session() {
        Configuration current = configuration();
        PluginRegistry plugins = registry();
        return new SessionContext(current.transport(), current.settings(), current.secret(), plugins.fingerprint(),
                plugins.description());
    }

    /** The worker types of this process, all of them, loaded on first use. */
    public PluginRegistry registry() {
        PluginRegistry loaded = registry;
        if (loaded == null) {
            synchronized (lock) {
                loaded = registry;
                if (loaded == null) {
                    loaded = PluginRegistry.load(classLoader(), madeAlone);
                    registry = loaded;
                }
            }
        }
        return loaded;
    }

    /**
     * Tells that this process made {@code type} on its own (a worker serving one type loads it
     * alone): a later load of the whole registry takes it instead of constructing its plugin again.
     */
    public void madeAlone(RegisteredType type) {
        madeAlone = type;
    }

    /** Where calls run, and the other background work of the runtime: daemon threads. */
    public ExecutorService executor() {
        return executor;
    }

    /** One daemon thread for timeouts and periodic checks. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** The class loader plugins and transports are found with: the caller's context loader. */
    public static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : RuntimeContext.class.getClassLoader();
    }
}
