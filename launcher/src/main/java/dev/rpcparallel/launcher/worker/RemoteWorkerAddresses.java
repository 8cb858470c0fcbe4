package dev.rpcparallel.launcher.worker;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.context.HostAddresses;
import dev.rpcparallel.launcher.context.Transports;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.spi.transport.TransportAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The addresses of a worker whose master runs on another host: it connects to the master at the
 * address its ssh session came from ({@code SSH_CONNECTION}'s first field, exact even where the
 * master has several addresses) unless the master advertises a host of its own, and it binds and
 * advertises its host's address on the route to the master, over TCP. So the master, and other
 * workers that the master's network reaches, reach it; never loopback.
 */
final class RemoteWorkerAddresses {
    private RemoteWorkerAddresses() {}

    /** {@code bootstrap} as a worker on another host than its master uses it; unchanged for a local worker. */
    static WorkerBootstrap adapt(WorkerBootstrap bootstrap, String sshConnection) {
        WorkerBootstrap.Master master = bootstrap.master();
        if (!master.onAnotherHost()) {
            return bootstrap;
        }
        RpcSettings settings = bootstrap.settings();
        TransportAddress address = TransportAddress.parse(master.address());
        String location = address.location();
        int colon = location.lastIndexOf(':');
        String masterHost = strip(location.substring(0, colon));
        String port = location.substring(colon + 1);
        Optional<String> sshClient = sshClient(sshConnection);
        if (settings.advertisedHost().isBlank() && sshClient.isPresent()) {
            masterHost = sshClient.get();
        }
        InetAddress own;
        try {
            own = HostAddresses.sourceToward(InetAddress.getByName(masterHost))
                    .or(() -> HostAddresses.toward(null))
                    .orElseThrow(() -> new IllegalStateException("this host has no address but loopback"));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve the master's host " + masterHost + ": " + e.getMessage(), e);
        }
        RpcSettings remote = settings.withTransport(Transports.NETWORK_TRANSPORT)
                .withBindHost(own.getHostAddress())
                .withAdvertisedHost("");
        String masterAddress = address.scheme() + "://" + (masterHost.indexOf(':') >= 0 ? "[" + masterHost + "]"
                : masterHost) + ":" + port;
        WorkerBootstrap.Master reached = new WorkerBootstrap.Master(master.id(), masterAddress, master.pid(),
                master.secret(), master.tlsKey(), master.fingerprint(), master.registryDescription());
        return new WorkerBootstrap(bootstrap.assignment(), reached, remote, bootstrap.pooled());
    }

    /** The client address of {@code SSH_CONNECTION} ("client port server port"), if set. */
    static Optional<String> sshClient(String sshConnection) {
        if (sshConnection == null || sshConnection.isBlank()) {
            return Optional.empty();
        }
        String[] fields = sshConnection.strip().split("\\s+");
        return fields.length == 4 ? Optional.of(fields[0]) : Optional.empty();
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
