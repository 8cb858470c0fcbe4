package dev.rpcparallel.launcher.context;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This host's addresses as another host reaches them: the local address of the route toward a
 * peer (a UDP socket "connected" to it, which sends nothing), else the first address of an
 * interface that is up and not loopback. Never loopback, never a name that might resolve to it.
 */
public final class HostAddresses {
    private HostAddresses() {}

    /** {@code host} as an address if it is an IP literal, the wildcard ({@code ""} included) or loopback name. */
    public static Optional<InetAddress> literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty() || bare.equals("*")) {
            return Optional.of(new InetSocketAddress(0).getAddress());
        }
        if (bare.equalsIgnoreCase("localhost")) {
            return Optional.of(InetAddress.getLoopbackAddress());
        }
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return Optional.empty(); // a name: not resolved here
        }
        try {
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code host} names this host's loopback ({@code localhost}, 127.x, ::1, or a name resolving there). */
    public static boolean isLoopbackName(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress address : all) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The address of this host a peer at {@code peerHost} reaches: the source address of the
     * route to it, or (when the peer's name does not resolve here, an ssh alias say) the first
     * address of an interface that is up and not loopback, IPv4 first. Empty when this host has
     * nothing but loopback.
     */
    public static Optional<InetAddress> toward(String peerHost) {
        if (peerHost != null) {
            try {
                InetAddress peer = InetAddress.getByName(peerHost);
                Optional<InetAddress> source = sourceToward(peer);
                if (source.isPresent()) {
                    return source;
                }
            } catch (UnknownHostException e) {
                // an alias only ssh knows: fall through
            }
        }
        return firstNonLoopback();
    }

    /** The source address of the route to {@code peer}; empty if none or loopback. */
    public static Optional<InetAddress> sourceToward(InetAddress peer) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(peer, 9));
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() || local.isLoopbackAddress() && !peer.isLoopbackAddress()
                    ? Optional.empty() : Optional.of(local);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> firstNonLoopback() {
        List<InetAddress> candidates = new ArrayList<>();
        try {
            for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
                if (!network.isUp() || network.isLoopback()) {
                    continue;
                }
                network.inetAddresses().filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                        .forEach(candidates::add);
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return candidates.stream().filter(Inet4Address.class::isInstance).findFirst()
                .or(() -> candidates.stream().findFirst());
    }
}
