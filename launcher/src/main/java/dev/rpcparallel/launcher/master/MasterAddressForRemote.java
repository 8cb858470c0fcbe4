package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.launcher.context.Transports;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.context.HostAddresses;
import dev.rpcparallel.spi.transport.TransportAddress;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The master's address as a worker on another host is told it: an address of this host that the
 * worker's host can reach. A master listening on loopback only, or over a transport that does not
 * cross hosts, cannot have such workers; the spawn then fails with the fix. A master listening on
 * the in-process transport cannot have spawned workers at all, on any host: the spawn fails
 * before any process starts.
 */
final class MasterAddressForRemote {
    private MasterAddressForRemote() {}

    /**
     * {@code address} (where the master listens) for a worker started by {@code launch}.
     *
     * @throws SpawnException naming the worker, the launcher and the fix when no worker there can
     *     reach the master
     */
    static String of(String address, WorkerLaunch launch, RpcSettings settings, String workerName) {
        TransportAddress parsed = TransportAddress.parse(address);
        if (parsed.scheme().equals(Transports.IN_PROCESS_TRANSPORT)) {
            throw new SpawnException("Cannot start worker '" + workerName + "': the master listens on " + address
                    + ", an address of the " + Transports.IN_PROCESS_TRANSPORT + " transport, which only threads"
                    + " of this JVM reach (workers served with Parallel.serve), never a spawned worker's process."
                    + " Fix: leave the transport to auto, the default (unix on this host, "
                    + Transports.NETWORK_TRANSPORT + " across hosts), or choose unix or "
                    + Transports.NETWORK_TRANSPORT + " (RpcSettings.withTransport, RPC_PARALLEL_SETTINGS=transport=...,"
                    + " or -Drpcparallel.transport=...)");
        }
        if (launch.onThisHost()) {
            return address;
        }
        String where = "Cannot start worker '" + workerName + "' with launcher " + launch + ": ";
        if (!parsed.scheme().equals(Transports.NETWORK_TRANSPORT)) {
            throw new SpawnException(where + "the master listens on " + address + ", which a worker on another host"
                    + " cannot reach. Fix: use the " + Transports.NETWORK_TRANSPORT + " transport in the master"
                    + " (RpcSettings.withTransport(\"" + Transports.NETWORK_TRANSPORT + "\") or RPC_PARALLEL_SETTINGS="
                    + "transport=" + Transports.NETWORK_TRANSPORT + ")");
        }
        if (!settings.advertisedHost().isBlank()) {
            return address; // the user's word: the host others reach the master at
        }
        String location = parsed.location();
        int colon = location.lastIndexOf(':');
        String port = location.substring(colon + 1);
        // Not the URI's host as such: a scheduler's URI names a partition, not a host.
        String targetHost = launch.launcher().host(launch.target()).orElse(null);
        Optional<InetAddress> bind = HostAddresses.literal(settings.bindHost());
        if (bind.isEmpty() || bind.get().isLoopbackAddress()) {
            if (targetHost != null && HostAddresses.isLoopbackName(targetHost)) {
                return address; // the "other host" is this one, reached over loopback
            }
            throw new SpawnException(where + "the master listens on " + address + " (bindHost="
                    + settings.bindHost() + "), which another host cannot reach. Fix: make " + launch
                    + " the master's default launcher before it starts (RpcSettings.withLauncher(\"" + launch
                    + "\"), RPC_PARALLEL_SETTINGS=launcher=" + launch + ", or the CLI's --on " + launch
                    + "): the master then listens on every interface; or set bindHost (and advertisedHost) to an"
                    + " address that host reaches");
        }
        if (!bind.get().isAnyLocalAddress()) {
            return address; // bound to one reachable address
        }
        InetAddress reachable = HostAddresses.toward(targetHost).orElseThrow(() -> new SpawnException(where
                + "this host has no network address but loopback, so the worker could not reach the master. Fix: set"
                + " advertisedHost to an address of this host that the worker's host reaches"));
        String host = reachable.getHostAddress();
        return parsed.scheme() + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
