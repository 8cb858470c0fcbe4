package dev.rpcparallel.launcher.registry;

import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A worker plugin as registered: its id from the listing, its functions with their ids, its source. */
public final class RegisteredType {
    private final int id;
    private final WorkerPlugin<Object, Object, Object, Object> plugin;
    private final String source;
    private final List<RegisteredFunction> functions;
    private final Map<String, RegisteredFunction> byName;

    RegisteredType(int id, WorkerPlugin<Object, Object, Object, Object> plugin, String source,
            List<RegisteredFunction> functions) {
        this.id = id;
        this.plugin = plugin;
        this.source = source;
        this.functions = List.copyOf(functions);
        this.byName = functions.stream()
                .collect(Collectors.toUnmodifiableMap(RegisteredFunction::name, Function.identity()));
    }

    /**
     * A type of the runtime's own, in no registry and no listing (id 0): served only by a worker
     * to itself, for instance to warm up the path of a typed call ({@code warm/TypedCallWarmUp}).
     */
    @SuppressWarnings("unchecked")
    public static RegisteredType unlisted(WorkerPlugin<?, ?, ?, ?> plugin) {
        WorkerPlugin<Object, Object, Object, Object> own = (WorkerPlugin<Object, Object, Object, Object>) plugin;
        String source = PluginRegistry.sourceOf(plugin.getClass());
        return new RegisteredType(0, own, source,
                PluginRegistry.collectFunctions(new PluginRegistry.Discovered(own, source)));
    }

    public int id() {
        return id;
    }

    public String name() {
        return plugin.type().name();
    }

    public WorkerType<Object, Object> type() {
        return plugin.type();
    }

    public WorkerPlugin<Object, Object, Object, Object> plugin() {
        return plugin;
    }

    /** Where the plugin class was loaded from: a jar file name or a class folder. */
    public String source() {
        return source;
    }

    public List<RegisteredFunction> functions() {
        return functions;
    }

    /** The function with this wire id. */
    public Optional<RegisteredFunction> function(int functionId) {
        return functionId >= 1 && functionId <= functions.size()
                ? Optional.of(functions.get(functionId - 1))
                : Optional.empty();
    }

    /**
     * The registered function matching a handle: same name, and the same kind and codecs, so a
     * handle from another plugin version is refused rather than called with the wrong encoding.
     */
    public Optional<RegisteredFunction> function(WorkerFunction handle) {
        RegisteredFunction found = byName.get(handle.name());
        if (found == null || found.function() != handle && !sameSignature(found.function(), handle)) {
            return Optional.empty();
        }
        return Optional.of(found);
    }

    private static boolean sameSignature(WorkerFunction a, WorkerFunction b) {
        return a.kind() == b.kind() && a.signature().equals(b.signature());
    }

    /** Lines for fingerprints and listings. */
    String describe() {
        StringBuilder out = new StringBuilder();
        out.append(id).append(' ').append(name()).append(" init(").append(type().initArgCodec().name())
                .append(") connect(").append(type().connectionArgCodec().name()).append(")\n");
        for (RegisteredFunction function : functions) {
            out.append("  ").append(function.describe()).append('\n');
        }
        return out.toString();
    }
}
