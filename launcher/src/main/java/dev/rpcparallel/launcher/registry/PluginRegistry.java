package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.RegistryException;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.DirectPipeImplementation;
import dev.rpcparallel.spi.OneWayImplementation;
import dev.rpcparallel.spi.PipeImplementation;
import dev.rpcparallel.spi.ReversePipeImplementation;
import dev.rpcparallel.spi.RpcImplementation;
import dev.rpcparallel.spi.StateImplementation;
import dev.rpcparallel.spi.WorkerPlugin;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The worker types of this process: the {@link WorkerPlugin}s found by
 * {@link ServiceLoader}, ordered and numbered by the {@link WorkerListing} (see
 * {@link ListingFinder} for where it comes from and how several jars' listings combine), with their functions
 * numbered in declaration order, and a fingerprint of all of it that peers compare at every
 * handshake.
 *
 * <p>Loading fails with a {@link RegistryException} that names the plugin, where it came from
 * and the fix when: a plugin cannot be instantiated, a plugin is not listed, a listed type has
 * no plugin, two plugins share a name, or a plugin declares a function name twice.
 */
public final class PluginRegistry {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(PluginRegistry.class);
    }

    private final WorkerListing listing;
    private final List<RegisteredType> types;
    private final Map<String, RegisteredType> byName;
    private final String description;
    private final String fingerprint;

    private PluginRegistry(WorkerListing listing, List<RegisteredType> types) {
        this.listing = listing;
        this.types = List.copyOf(types);
        this.byName = new HashMap<>();
        StringBuilder text = new StringBuilder();
        for (RegisteredType type : types) {
            byName.put(type.name(), type);
            text.append(type.describe());
        }
        this.description = text.toString();
        this.fingerprint = fingerprintOf(IdlDescription.of(description));
    }

    /**
     * The first 16 hex digits of the SHA-256 of a description's UTF-8 bytes. The JDK's digest, not
     * Guava's {@code Hashing}: its class initialisation cost a worker several ms on its start path.
     */
    static String fingerprintOf(String description) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(description.getBytes(UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256 MessageDigest, which every Java SE JVM must have", e);
        }
    }

    /** Loads the plugins and the listing visible to this class loader. */
    public static PluginRegistry load(ClassLoader classLoader) {
        return load(classLoader, null);
    }

    /**
     * Loads the plugins and the listing visible to this class loader, taking {@code madeAlready}
     * (a type this process made on its own before, such as a worker's {@link ServedType}; may be
     * {@code null}) instead of making its plugin class a second time: a plugin is constructed and
     * asked for its functions once per process, whatever its constructor does.
     */
    public static PluginRegistry load(ClassLoader classLoader, RegisteredType madeAlready) {
        WorkerListing listing = WorkerListing.find(classLoader);
        return build(listing, discover(classLoader, madeAlready), madeAlready);
    }

    /** A plugin as discovered, before ordering. */
    record Discovered(WorkerPlugin<Object, Object, Object, Object> plugin, String source) {}

    static List<Discovered> discover(ClassLoader classLoader) {
        return discover(classLoader, null);
    }

    /** As {@link #discover(ClassLoader)}, with the plugin of {@code madeAlready} (if any) taken as made. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<Discovered> discover(ClassLoader classLoader, RegisteredType madeAlready) {
        List<Discovered> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Iterator<ServiceLoader.Provider<WorkerPlugin>> providers =
                ServiceLoader.load(WorkerPlugin.class, classLoader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<WorkerPlugin> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures.add(describeFailure(e));
                continue;
            }
            String className = provider.type().getName();
            String source = sourceOf(provider.type());
            if (madeAlready != null && provider.type() == madeAlready.plugin().getClass()) {
                found.add(new Discovered(madeAlready.plugin(), madeAlready.source()));
                continue;
            }
            WorkerPlugin plugin;
            try {
                plugin = provider.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
                failures.add("worker plugin " + className + " (from " + source + "): its constructor threw "
                        + describeThrown(cause) + "; fix the plugin, or remove its jar");
                continue;
            }
            try {
                requireType(plugin, source);
            } catch (RegistryException e) {
                failures.add(e.getMessage());
                continue;
            }
            found.add(new Discovered(plugin, source));
        }
        if (!failures.isEmpty()) {
            throw new RegistryException("Cannot load the worker plugins:\n  - " + String.join("\n  - ", failures));
        }
        return found;
    }

    /**
     * Checks what a plugin says of itself: its {@code type()} and its {@code defineFunctions},
     * run once here, the way the registry runs them. The {@link RegistryException} names the
     * plugin, its class, its jar and what it threw; a plugins directory leaves such a jar out.
     */
    static void check(WorkerPlugin<?, ?, ?, ?> plugin, String source) {
        requireType(plugin, source);
        @SuppressWarnings("unchecked")
        WorkerPlugin<Object, Object, Object, Object> cast = (WorkerPlugin<Object, Object, Object, Object>) plugin;
        collectFunctions(new Discovered(cast, source));
    }

    static void requireType(WorkerPlugin<?, ?, ?, ?> plugin, String source) {
        WorkerType<?, ?> type;
        try {
            type = plugin.type();
        } catch (RuntimeException | LinkageError e) {
            throw new RegistryException("worker plugin " + plugin.getClass().getName() + " (from " + source
                    + "): its type() threw " + describeThrown(e) + "; fix the plugin, or remove its jar", e);
        }
        if (type == null) {
            throw new RegistryException("worker plugin " + plugin.getClass().getName() + " (from " + source
                    + ") returned null from type(): return its WorkerType constant");
        }
    }

    /** The exception and its causes, each as {@code type: message}. */
    private static String describeThrown(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            text.append(", caused by ").append(cause);
        }
        return text.toString();
    }

    private static String describeFailure(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            message.append(": caused by ").append(cause);
        }
        return message.toString();
    }

    /** Orders the discovered plugins by the listing and numbers everything. */
    static PluginRegistry build(WorkerListing listing, List<Discovered> discovered) {
        return build(listing, discovered, null);
    }

    /** As {@link #build(WorkerListing, List)}, taking {@code madeAlready} where its plugin has its id. */
    private static PluginRegistry build(WorkerListing listing, List<Discovered> discovered, RegisteredType madeAlready) {
        ListedPluginClasses.check(listing, discovered);
        Map<String, Discovered> byName = new LinkedHashMap<>();
        for (Discovered d : discovered) {
            String name = d.plugin().type().name();
            Discovered other = byName.putIfAbsent(name, d);
            if (other != null) {
                throw new RegistryException("Two worker plugins are named '" + name + "': "
                        + other.plugin().getClass().getName() + " (from " + other.source() + ") and "
                        + d.plugin().getClass().getName() + " (from " + d.source() + "). A worker type name"
                        + " is a plugin's id and must be unique: remove one of the jars or rename one type.");
            }
        }
        for (Discovered d : discovered) {
            String name = d.plugin().type().name();
            if (!listing.names().contains(name)) {
                String where = listing.isPresent()
                        ? "the worker listing " + listing.location()
                        : "a worker listing: none was found (annotate the plugin class with @RpcParallelWorker"
                                + " and compile it with rpc-parallel-processor, or create " + WorkerListing.RESOURCE
                                + " in its jar, or pass -D" + WorkerListing.PROPERTY + "=FILE)";
                throw new RegistryException("Worker plugin '" + name + "' (" + d.plugin().getClass().getName()
                        + ", from " + d.source() + ") is not in " + where + ". Add a line '" + name
                        + "' to it; put new types at the end, so that the ids of the others do not change.");
            }
        }
        List<RegisteredType> types = new ArrayList<>();
        int id = 0;
        for (String name : listing.names()) {
            id++;
            Discovered d = byName.get(name);
            if (d == null) {
                throw new RegistryException("The worker listing " + listing.location() + " names '" + name
                        + "', but no WorkerPlugin of that type was found on the class path. Add the jar that"
                        + " provides it (its META-INF/services/" + WorkerPlugin.class.getName()
                        + " must name the plugin class), or remove the line.");
            }
            types.add(madeAlready != null && madeAlready.plugin() == d.plugin() && madeAlready.id() == id ? madeAlready
                    : new RegisteredType(id, d.plugin(), d.source(), collectFunctions(d)));
        }
        PluginRegistry registry = new PluginRegistry(listing, types);
        if (Log.LOG.isDebugEnabled()) {
            Log.LOG.debug("Worker types from {} (fingerprint {}):\n{}", listing.location(), registry.fingerprint,
                    types.stream().map(t -> t.id() + " " + t.name() + " from " + t.source())
                            .collect(Collectors.joining("\n")));
        }
        return registry;
    }

    static List<RegisteredFunction> collectFunctions(Discovered d) {
        List<RegisteredFunction> functions = new ArrayList<>();
        Map<String, RegisteredFunction> seen = new HashMap<>();
        try {
            defineFunctions(d, functions, seen);
        } catch (RegistryException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new RegistryException("Worker plugin '" + d.plugin().type().name() + "' ("
                    + d.plugin().getClass().getName() + ", from " + d.source() + ") threw in defineFunctions: "
                    + describeThrown(e) + "; fix the plugin, or remove its jar", e);
        }
        return functions;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void defineFunctions(Discovered d, List<RegisteredFunction> functions,
            Map<String, RegisteredFunction> seen) {
        d.plugin().defineFunctions(new FunctionTable<>() {
            private FunctionTable<Object, Object> add(WorkerFunction function, Object implementation,
                    FunctionBinding binding) {
                if (function == null || implementation == null) {
                    throw new RegistryException("Worker plugin '" + d.plugin().type().name() + "' ("
                            + d.plugin().getClass().getName() + ") declared a null function or implementation");
                }
                RegisteredFunction registered = new RegisteredFunction(functions.size() + 1, binding);
                if (seen.putIfAbsent(function.name(), registered) != null) {
                    throw new RegistryException("Worker plugin '" + d.plugin().type().name() + "' ("
                            + d.plugin().getClass().getName() + ", from " + d.source() + ") declares the function '"
                            + function.name() + "' twice: function names must be unique within a worker type");
                }
                functions.add(registered);
                return this;
            }

            @Override
            public <A, R> FunctionTable<Object, Object> rpc(
                    RpcFunction<A, R> function, RpcImplementation<Object, Object, A, R> implementation) {
                return add(function, implementation, new FunctionBinding.Rpc<>(function, implementation));
            }

            @Override
            public <A, E> FunctionTable<Object, Object> pipe(
                    PipeFunction<A, E> function, PipeImplementation<Object, Object, A, E> implementation) {
                return add(function, implementation, new FunctionBinding.Pipe<>(function, implementation));
            }

            @Override
            public <A, E> FunctionTable<Object, Object> directPipe(DirectPipeFunction<A, E> function,
                    DirectPipeImplementation<Object, Object, A, E> implementation) {
                return add(function, implementation, new FunctionBinding.DirectPipe<>(function, implementation));
            }

            @Override
            public <A> FunctionTable<Object, Object> oneWay(
                    OneWayFunction<A> function, OneWayImplementation<Object, Object, A> implementation) {
                return add(function, implementation, new FunctionBinding.OneWay<>(function, implementation));
            }

            @Override
            public <Q, U, R> FunctionTable<Object, Object> reversePipe(ReversePipeFunction<Q, U, R> function,
                    ReversePipeImplementation<Object, Object, Q, U, R> implementation) {
                return add(function, implementation, new FunctionBinding.ReversePipe<>(function, implementation));
            }

            @Override
            public <A, T, U> FunctionTable<Object, Object> state(StateFunction<A, T, U> function,
                    StateImplementation<Object, Object, A, T, U> implementation) {
                return add(function, implementation, new FunctionBinding.State<>(function, implementation));
            }
        });
    }

    static String sourceOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        URL location = codeSource == null ? null : codeSource.getLocation();
        if (location == null) {
            return "an unknown location";
        }
        try {
            Path path = Path.of(location.toURI());
            return path.getFileName() == null ? path.toString() : path.getFileName().toString();
        } catch (Exception e) {
            return location.toString();
        }
    }

    public WorkerListing listing() {
        return listing;
    }

    /** The worker types in listing order. */
    public List<RegisteredType> types() {
        return types;
    }

    public Optional<RegisteredType> type(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The type of this name, or a {@link RegistryException} saying which types exist. */
    public RegisteredType require(String name) {
        RegisteredType type = byName.get(name);
        if (type == null) {
            throw new RegistryException("No worker type '" + name + "' is registered in this process; the types are "
                    + byName.keySet().stream().sorted().toList() + " (from " + listing.location()
                    + "). Is the plugin's jar on the class path and its name in the worker listing?");
        }
        return type;
    }

    /**
     * A hash of the {@linkplain IdlDescription wire terms} of {@link #description()}: equal in two
     * processes iff their registries agree on the wire (names, ids, kinds and Thrift types).
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** Every type and function with ids and codecs, one per line; compared at handshakes. */
    public String description() {
        return description;
    }
}
