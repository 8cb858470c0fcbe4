package dev.rpcparallel.launcher.worker;

import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerExit;
import dev.rpcparallel.launcher.registry.MastersPlugin;
import dev.rpcparallel.launcher.registry.PluginRegistry;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.registry.RegistryMismatch;
import dev.rpcparallel.launcher.registry.ServedType;
import java.util.Optional;

/**
 * A spawned worker's plugins, checked against its master's registry before anything else, and
 * what it presents at handshakes (the fingerprint and description its sessions carry).
 *
 * <p>A worker that knows its type loads that type alone ({@link ServedType}) when it and the
 * listing agree with the master's: from the plugin class its master named ({@link MastersPlugin}),
 * else from the plugins its class path lists; otherwise, and in an idle worker of the warm pool (which
 * does not know its type yet and loads the rest while idle), it loads the whole registry and
 * compares its fingerprint. A worker whose plugin set differs exits with status
 * {@link WorkerExit#PLUGIN_MISMATCH} and a report of both registries, which its spawn quotes.
 */
final class AgreedPlugins {
    private final RuntimeContext context;
    private final String fingerprint;
    private final String description;
    /** The served type loaded alone, or {@code null} where the whole registry is loaded. */
    private final RegisteredType served;

    private AgreedPlugins(RuntimeContext context, String fingerprint, String description, RegisteredType served) {
        this.context = context;
        this.fingerprint = fingerprint;
        this.description = description;
        this.served = served;
    }

    /** Checks this worker's plugins against its master's; on a mismatch, reports and exits. */
    static AgreedPlugins check(RuntimeContext context, WorkerBootstrap bootstrap) {
        WorkerBootstrap.Master master = bootstrap.master();
        if (!bootstrap.pooled()) {
            Optional<ServedType> alone = mastersPlugin(bootstrap).or(() -> ServedType.agreeing(
                    RuntimeContext.classLoader(), bootstrap.assignment().workerType(), master.fingerprint(),
                    master.registryDescription()));
            if (alone.isPresent()) {
                context.madeAlone(alone.get().type());
                return new AgreedPlugins(context, alone.get().fingerprint(), alone.get().description(),
                        alone.get().type());
            }
        }
        PluginRegistry registry = context.registry();
        if (!registry.fingerprint().equals(master.fingerprint())) {
            // The verdict comes last: a spawn error quotes the tail of what the worker printed.
            WorkerExit.exit(WorkerExit.PLUGIN_MISMATCH, "Worker types in this worker:\n"
                    + indent(RegistryMismatch.describeAgainst(registry.description(), master.registryDescription()))
                    + "Worker types in its master:\n"
                    + indent(RegistryMismatch.describeAgainst(master.registryDescription(), registry.description()))
                    + "rpc-parallel worker '" + bootstrap.workerName() + "': this worker and its master were built"
                    + " from different plugin sets (registry fingerprint " + registry.fingerprint() + " here, "
                    + master.fingerprint() + " in the master). Start both with the same plugin jars and worker"
                    + " listing.");
        }
        return new AgreedPlugins(context, registry.fingerprint(), registry.description(), null);
    }

    /**
     * The served type made from the plugin class its master named, if it named one and it agrees;
     * when it does not, says why on stderr (the worker then looks for its plugin itself).
     */
    private static Optional<ServedType> mastersPlugin(WorkerBootstrap bootstrap) {
        WorkerBootstrap.ServedPlugin named = bootstrap.servedPlugin();
        if (!named.isNamed()) {
            return Optional.empty();
        }
        String typeName = bootstrap.assignment().workerType();
        MastersPlugin.Made made = MastersPlugin.make(RuntimeContext.classLoader(), typeName, named.pluginClass(),
                named.typeId(), named.listingSources(), bootstrap.master().fingerprint(), bootstrap.master().registryDescription());
        if (made.served() == null) {
            System.err.println("rpc-parallel worker '" + bootstrap.workerName() + "': the plugin its master named"
                    + " for '" + typeName + "' (" + named.pluginClass() + ", id " + named.typeId() + ") is not used: "
                    + made.whyNot() + "; looking for the plugin on the class path instead");
        }
        return Optional.ofNullable(made.served());
    }

    /** The registry fingerprint this worker's sessions present: its master's. */
    String fingerprint() {
        return fingerprint;
    }

    /** The registry description its handshakes send to explain a refusal. */
    String description() {
        return description;
    }

    /** The registered type of this name: the served one, or from the whole registry (loaded then). */
    RegisteredType require(String typeName) {
        return served != null && served.name().equals(typeName) ? served : context.registry().require(typeName);
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "  (none)\n" : lines.indent(2);
    }
}
