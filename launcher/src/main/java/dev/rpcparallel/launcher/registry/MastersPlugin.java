package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.spi.WorkerPlugin;
import java.util.List;

/**
 * The served type of a worker on its master's host with its master's class path, made from the
 * plugin class its master named: the master's registry found that class with the same class
 * path, so the worker makes it directly instead of looking through every plugin that
 * {@link java.util.ServiceLoader} finds (a lookup that opens every jar of the class path).
 *
 * <p>The worker still checks what it is told, as {@link ServedType#agreeing} checks what it
 * finds: its own worker listing has the master's type names in the master's order, the named
 * position is its type's there, the listing's plugin class (where the listing names one) is the
 * named class, the class is a {@link WorkerPlugin} of that type, and its functions agree in wire
 * terms with the master's description. Anything else makes no type but says why; the caller
 * then looks for the plugin as a worker that was told nothing does. Stateless.
 */
public final class MastersPlugin {
    private MastersPlugin() {}

    /**
     * The served type made from the named class, or why not.
     *
     * @param served the type, agreeing with the master's registry; {@code null} when not made
     * @param whyNot what was wrong with what the master named ({@code ""} when made)
     */
    public record Made(ServedType served, String whyNot) {
        static Made not(String why) {
            return new Made(null, why);
        }
    }

    /**
     * Makes the type {@code typeName} from {@code pluginClass}, which the master's registry has at
     * {@code typeId}, if it and the worker's listing agree with the master's registry
     * ({@code mastersFingerprint} is that of {@code mastersDescription}, as the master sent them).
     */
    public static Made make(ClassLoader classLoader, String typeName, String pluginClass, int typeId,
            String mastersFingerprint, String mastersDescription) {
        return make(classLoader, typeName, pluginClass, typeId, List.of(), mastersFingerprint, mastersDescription);
    }

    /**
     * As {@link #make(ClassLoader, String, String, int, String, String)}, reading the worker's own
     * listing from {@code listingSources}, the resources its master's listing was read from
     * ({@link WorkerListing#read}: the same class path finds the same resources, so the worker
     * need not look through every jar for them); with none, it looks.
     */
    @SuppressWarnings("unchecked")
    public static Made make(ClassLoader classLoader, String typeName, String pluginClass, int typeId,
            List<String> listingSources, String mastersFingerprint, String mastersDescription) {
        try {
            WorkerListing listing = WorkerListing.read(classLoader, listingSources);
            List<RegistryMismatch.TypeBlock> masters = RegistryMismatch.typeBlocks(mastersDescription);
            if (!masters.stream().map(RegistryMismatch.TypeBlock::name).toList().equals(listing.names())) {
                return Made.not("its worker listing (" + listing.location() + ") is not its master's");
            }
            int index = listing.names().indexOf(typeName);
            if (index + 1 != typeId) {
                return Made.not("its worker listing has '" + typeName + "' at " + (index < 0 ? "no position"
                        : "position " + (index + 1)) + ", its master named position " + typeId);
            }
            String listed = listing.entries().get(index).pluginClass();
            if (listed != null && !listed.equals(pluginClass)) {
                return Made.not("its worker listing names " + listed + " for '" + typeName + "'");
            }
            Class<?> found = Class.forName(pluginClass, false, classLoader);
            if (!WorkerPlugin.class.isAssignableFrom(found)) {
                return Made.not(pluginClass + " is not a " + WorkerPlugin.class.getName());
            }
            WorkerPlugin<Object, Object, Object, Object> plugin =
                    (WorkerPlugin<Object, Object, Object, Object>) found.getConstructor().newInstance();
            String source = PluginRegistry.sourceOf(found);
            PluginRegistry.requireType(plugin, source);
            if (!plugin.type().name().equals(typeName)) {
                return Made.not(pluginClass + " provides '" + plugin.type().name() + "', not '" + typeName + "'");
            }
            RegisteredType type = new RegisteredType(typeId, plugin, source,
                    PluginRegistry.collectFunctions(new PluginRegistry.Discovered(plugin, source)));
            if (!ServedType.sameOnTheWire(type.describe(), masters.get(index).text())) {
                return Made.not("the functions of '" + typeName + "' here differ from its master's");
            }
            return new Made(new ServedType(type, mastersFingerprint, mastersDescription), "");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The lookup that follows finds what is there; the whole registry's load names the fix.
            return Made.not(pluginClass + " cannot be made here: " + e);
        }
    }
}
