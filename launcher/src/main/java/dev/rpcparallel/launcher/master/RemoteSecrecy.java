package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.launcher.context.HostAddresses;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.tls.ApplicationTls;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * No plain TCP between hosts unless the user turned TLS off: a worker started on another host
 * (not {@code local:} or {@code wrap:}, and not a host name of loopback) by a master whose
 * connections carry neither the user's TLS ({@link RpcSettings#tls()}) nor the generated one is
 * refused, with the fix. Such a master is one whose default launcher runs on this host but whose
 * spawn names a launcher elsewhere: it generates a key only when it knows before it starts that
 * its connections cross hosts. Turned off, a WARN says once that the connections are plain.
 * Thread-safe.
 */
final class RemoteSecrecy {
    private static final Logger LOG = LogManager.getLogger(RemoteSecrecy.class);
    private final AtomicBoolean plainTextWarned = new AtomicBoolean();

    /**
     * @param encrypted whether the master's TCP connections use the generated TLS key
     * @throws SpawnException naming the worker, the launcher and the fix when its connections
     *     would cross hosts in plain TCP
     */
    void require(WorkerLaunch launch, RpcSettings settings, boolean encrypted, String workerName) {
        if (launch.onThisHost() || settings.tls() != null || encrypted) {
            return;
        }
        if (ApplicationTls.isTurnedOff()) {
            if (plainTextWarned.compareAndSet(false, true)) {
                LOG.warn("Worker '{}' starts on another host ({}) and its connections use plain TCP, authenticated by"
                        + " the application's secret but not encrypted: TLS is turned off ({} or {}).", workerName,
                        launch, "-D" + ApplicationTls.OFF_PROPERTY, ApplicationTls.OFF_VARIABLE);
            }
            return;
        }
        Optional<String> host = launch.launcher().host(launch.target());
        if (host.isPresent() && HostAddresses.isLoopbackName(host.get())) {
            return; // "another host" that is this one: the connections stay on loopback
        }
        throw new SpawnException("Cannot start worker '" + workerName + "' with launcher " + launch + ": its"
                + " connections would cross hosts in plain TCP, since this master has no TLS (it generates its key"
                + " when its default launcher starts workers on other hosts, and its default launcher is "
                + (settings.launcher().isBlank() ? "local:" : settings.launcher()) + "). Fix: make " + launch
                + " the master's default launcher before it starts (RpcSettings.withLauncher(\"" + launch
                + "\"), RPC_PARALLEL_SETTINGS=launcher=" + launch + ", or the CLI's --on " + launch + "), or set"
                + " RpcSettings.tls (key stores on every host), or, on a trusted network only, turn TLS off with -D"
                + ApplicationTls.OFF_PROPERTY + "=off");
    }
}
