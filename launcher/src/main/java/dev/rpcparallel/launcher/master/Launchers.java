package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.fork.LocalLauncher;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.fork.WrapLauncher;
import dev.rpcparallel.spi.launch.Availability;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import dev.rpcparallel.spi.launch.WorkerLaunchers;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The launchers of a master's spawns (the spawn's own, else the next of the master's defaults in
 * turn), one instance per scheme for the master's life (a launcher
 * keeps its connections between launches), found with {@link WorkerLaunchers}. Thread-safe.
 */
final class Launchers {
    private final ClassLoader classLoader;
    private final Map<String, WorkerLauncher> byScheme = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    Launchers(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Where a spawn with {@code options} starts: its own launcher, else the settings' default,
     * else {@code local:}.
     *
     * @throws SpawnException naming the worker and the launcher when none serves the URI or it
     *     cannot work here
     */
    WorkerLaunch choose(String workerName, SpawnOptions options, RpcSettings settings) {
        URI target = options.launcher().orElseGet(() -> byDefault(settings.launcher()));
        WorkerLauncher launcher;
        try {
            String scheme = target.getScheme().toLowerCase(Locale.ROOT);
            launcher = byScheme.computeIfAbsent(scheme, unused -> switch (scheme) {
                // Built in: no need to load (and construct) every launcher on the class path.
                case LocalLauncher.SCHEME -> new LocalLauncher();
                case WrapLauncher.SCHEME -> new WrapLauncher();
                default -> WorkerLaunchers.forTarget(target, classLoader);
            });
        } catch (IllegalArgumentException | java.util.ServiceConfigurationError e) {
            throw new SpawnException("Cannot start worker '" + workerName + "' with launcher " + target + ": "
                    + e.getMessage(), e);
        }
        Availability availability = launcher.availability();
        if (!availability.isAvailable()) {
            throw new SpawnException("Cannot start worker '" + workerName + "' with launcher " + target
                    + ": the " + launcher.scheme() + " launcher cannot work on this machine: " + availability.reason());
        }
        return new WorkerLaunch(launcher, target);
    }

    /** The next of the default launchers ({@code ;}-separated, taking turns), or {@code local:}. */
    private URI byDefault(String launchers) {
        if (launchers.isBlank()) {
            return WorkerLaunch.LOCAL;
        }
        String[] all = launchers.split(";");
        String next = all[Math.floorMod(turn.getAndIncrement(), all.length)].strip();
        return SpawnOptions.builder().launcher(next).build().launcher().orElseThrow();
    }

    /** Releases the launchers' shared resources (ssh master connections); their processes keep running. */
    void close() {
        List<WorkerLauncher> all = new ArrayList<>(byScheme.values());
        byScheme.clear();
        for (WorkerLauncher launcher : all) {
            try {
                launcher.close();
            } catch (RuntimeException e) {
                // closing is best effort: the master is going away
            }
        }
    }
}
