package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.api.RegistryException;
import java.util.List;

/**
 * Checks the plugin classes a listing names ({@code primes = com.example.PrimesWorker}, as the
 * annotation processor writes them) against the plugins found: the processor takes the type
 * name from the annotation, since it cannot run the plugin's {@code type()}, so the two can
 * disagree, and this says so before the disagreement shows as a missing type.
 */
final class ListedPluginClasses {
    private ListedPluginClasses() {}

    /**
     * @throws RegistryException naming the class, its jar, both names and the listing, if a
     *     listed class was found and its {@code type()} has another name than its line
     */
    static void check(WorkerListing listing, List<PluginRegistry.Discovered> discovered) {
        for (WorkerListing.Entry entry : listing.entries()) {
            if (entry.pluginClass() == null) {
                continue;
            }
            for (PluginRegistry.Discovered d : discovered) {
                String actual = d.plugin().type().name();
                if (d.plugin().getClass().getName().equals(entry.pluginClass()) && !actual.equals(entry.name())) {
                    throw new RegistryException("Worker plugin " + entry.pluginClass() + " (from " + d.source()
                            + ") returns the type '" + actual + "' from type(), but the worker listing "
                            + entry.location() + " lists it as '" + entry.name() + "'. Make the two names the"
                            + " same: the name in @RpcParallelWorker(\"...\") (or the listing line) and the"
                            + " name of the WorkerType that type() returns.");
                }
            }
        }
    }
}
