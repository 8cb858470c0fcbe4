package dev.rpcparallel.launcher.context;

import dev.rpcparallel.api.RpcSettings;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where a master listens: as its settings say, except that a master whose default launcher starts
 * workers on other hosts ({@link RpcSettings#launcher()} neither {@code local:} nor
 * {@code wrap:}) listens over TCP ({@link Transports#NETWORK_TRANSPORT}), and, where it would
 * listen on loopback, on every interface instead, so that those workers reach it (each is told
 * an address of this host on its route, see the spawner).
 * Connections are still authenticated by the application's secret.
 */
public final class MasterBinding {
    /** The schemes of launchers whose workers run on this host. */
    private static final Set<String> THIS_HOST = Set.of("local", "wrap");

    private MasterBinding() {}

    public static RpcSettings reachable(RpcSettings settings) {
        if (!launchesElsewhere(settings.launcher())) {
            return settings;
        }
        RpcSettings reachable = settings.transport().equals(Transports.NETWORK_TRANSPORT) ? settings
                : settings.withTransport(Transports.NETWORK_TRANSPORT);
        boolean loopback = HostAddresses.literal(settings.bindHost()).map(InetAddress::isLoopbackAddress).orElse(false);
        return loopback ? reachable.withBindHost("0.0.0.0") : reachable;
    }

    /** Whether any of the {@code ;}-separated launcher URIs starts workers on other hosts (blank: {@code local:}). */
    public static boolean launchesElsewhere(String launchers) {
        for (String launcher : launchers.split(";")) {
            if (!launcher.isBlank() && oneLaunchesElsewhere(launcher)) {
                return true;
            }
        }
        return false;
    }

    private static boolean oneLaunchesElsewhere(String launcher) {
        int colon = launcher.indexOf(':');
        String scheme = colon > 0 ? launcher.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
        if (THIS_HOST.contains(scheme)) {
            return false;
        }
        // ssh://localhost is another "host" reached over loopback: loopback serves it.
        try {
            String host = URI.create(launcher.strip()).getHost();
            return host == null || !HostAddresses.isLoopbackName(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
