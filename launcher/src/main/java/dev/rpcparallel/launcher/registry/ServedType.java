package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.spi.WorkerPlugin;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The one worker type a spawned worker serves, loaded alone and checked against its master's
 * registry: a worker of one type does not instantiate and describe every plugin on its class
 * path to compute a fingerprint of them all.
 *
 * <p>What decides whether a call to this worker is understood is the ids and the wire terms of
 * what it serves: the worker listing (type names in order: the types' ids) and the served type's
 * line and functions (ids, kinds, wire types). Both are compared with the master's
 * {@linkplain PluginRegistry#description() description}, in {@linkplain IdlDescription wire
 * terms}, as the fingerprint would; when they agree, the worker takes the master's fingerprint
 * and description as its own (its server then accepts exactly the clients the master's registry
 * would). The other types are not loaded unless the worker needs them (it spawns or connects to
 * workers itself): the {@link PluginRegistry} is then loaded whole, and its own checks run.
 *
 * <p>Anything this cannot settle (no such type, a listing or a served type that differs, a
 * plugin that cannot be found, made or asked for its functions) makes {@link #agreeing} empty:
 * the caller then loads the whole registry, which reports the problem as before.
 *
 * @param type the served type, with its id from the listing and its functions
 * @param fingerprint the master's registry fingerprint, which this worker agrees with
 * @param description the master's registry description, for mismatch reports at handshakes
 */
public record ServedType(RegisteredType type, String fingerprint, String description) {

    /**
     * The type {@code typeName} as {@code classLoader} finds it, if it and the listing agree with
     * the master's registry ({@code mastersFingerprint} is that of {@code mastersDescription}, as
     * the master sent them); otherwise empty. Instantiates only the plugin that provides it (the
     * listing's plugin class when the listing names one; else the providers in class path order
     * until one has that name).
     */
    public static Optional<ServedType> agreeing(ClassLoader classLoader, String typeName, String mastersFingerprint,
            String mastersDescription) {
        try {
            WorkerListing listing = WorkerListing.find(classLoader);
            List<RegistryMismatch.TypeBlock> masters = RegistryMismatch.typeBlocks(mastersDescription);
            if (!masters.stream().map(RegistryMismatch.TypeBlock::name).toList().equals(listing.names())) {
                return Optional.empty();
            }
            int index = listing.names().indexOf(typeName);
            if (index < 0) {
                return Optional.empty();
            }
            String mastersBlock = masters.get(index).text();
            return find(classLoader, listing.entries().get(index))
                    .map(plugin -> new RegisteredType(index + 1, plugin.plugin(), plugin.source(),
                            PluginRegistry.collectFunctions(plugin)))
                    .filter(type -> sameOnTheWire(type.describe(), mastersBlock))
                    .map(type -> new ServedType(type, mastersFingerprint, mastersDescription));
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            // The whole registry's load reports it, naming the plugin and the fix.
            return Optional.empty();
        }
    }

    /**
     * Whether two descriptions agree in wire terms; the same text (the same classes on both
     * sides, the usual case) needs no rewriting.
     */
    static boolean sameOnTheWire(String description, String other) {
        return description.equals(other) || IdlDescription.of(description).equals(IdlDescription.of(other));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Optional<PluginRegistry.Discovered> find(ClassLoader classLoader, WorkerListing.Entry entry) {
        Iterator<ServiceLoader.Provider<WorkerPlugin>> providers =
                ServiceLoader.load(WorkerPlugin.class, classLoader).stream().iterator();
        while (providers.hasNext()) {
            ServiceLoader.Provider<WorkerPlugin> provider = providers.next();
            if (entry.pluginClass() != null && !provider.type().getName().equals(entry.pluginClass())) {
                continue;
            }
            WorkerPlugin plugin = provider.get();
            String source = PluginRegistry.sourceOf(provider.type());
            PluginRegistry.requireType(plugin, source);
            if (plugin.type().name().equals(entry.name())) {
                return Optional.of(new PluginRegistry.Discovered(plugin, source));
            }
            if (entry.pluginClass() != null) {
                return Optional.empty(); // the registry says the listed class has another name
            }
        }
        return Optional.empty();
    }
}
