package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input from authenticated peers and idle unauthenticated ones, on workers served in this JVM. */
class SecurityIT {
    private final LauncherRuntime application = new LauncherRuntime();

    @AfterEach
    void shutDown() {
        application.shutdownAll();
    }

    @Test
    void spawnedWorkersOfSettingsThatNameNoTransportListenOnNoNetworkPort() throws Exception {
        // The default settings, whatever transport this build's run names with -Drpcparallel.transport.
        application.initMaster(RpcSettings.defaults().withTransport(RpcSettings.AUTOMATIC_TRANSPORT));
        WorkerRef worker = application.spawn(Echo.TYPE, "s:", SpawnOptions.builder().name("local").build());
        // A Unix domain socket, in a directory only this user may enter; no TCP port at all.
        assertThat(worker.address()).startsWith("unix:///");
        assertThat(java.nio.file.Files.getPosixFilePermissions(Path.of(URI.create(worker.address()).getPath())
                .getParent())).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        try (Connection connection = application.connect(worker, "c")) {
            assertThat(connection.call(Echo.ECHO, "over the socket")).isEqualTo("s:over the socket");
        }
    }

    @Test
    void spawnedWorkersOnTcpListenOnLoopbackOnly() throws Exception {
        application.initMaster(RpcSettings.defaults().withTransport("thrift"));
        WorkerRef worker = application.spawn(Echo.TYPE, "s:", SpawnOptions.builder().name("loopback").build());
        assertThat(worker.address()).startsWith("thrift://127.0.0.1:");
        int port = URI.create(worker.address()).getPort();
        InetAddress other = anotherAddressOfThisHost();
        assertThatThrownBy(() -> new Socket(other, port).close()).as("connecting to %s", other)
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aWorkerBoundToTheWildcardAddressAdvertisesTheHostOfTheSettings() throws Exception {
        application.initMaster(RpcSettings.defaults().withBindHost("0.0.0.0").withAdvertisedHost("127.0.0.1"));
        WorkerRef worker = application.spawn(Echo.TYPE, "s:", SpawnOptions.builder().name("advertised").build());
        assertThat(worker.address()).startsWith("thrift://127.0.0.1:");
        try (Connection connection = application.connect(worker, "c")) {
            assertThat(connection.call(Echo.ECHO, "via the advertised address")).isEqualTo("s:via the advertised address");
        }
        // Bound to every address: reachable on another one too (where it must still authenticate).
        new Socket(anotherAddressOfThisHost(), URI.create(worker.address()).getPort()).close();
    }

    /**
     * An address of this host other than 127.0.0.1: its first non-loopback IPv4 address, or on a
     * host with only a loopback interface 127.0.0.2 (Linux routes all of 127/8 to it), which
     * still tells a socket bound to 127.0.0.1 from one bound to every address.
     */
    private static InetAddress anotherAddressOfThisHost() throws IOException {
        InetAddress other = nonLoopbackAddress().orElse(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
        System.out.println("another address of this host: " + other.getHostAddress());
        return other;
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    @Test
    void anArgumentThatFailsToDecodeNamesTheFunctionAndTheCodecAndTheConnectionStaysUsable() {
        WorkerRef worker = application.serve(Echo.TYPE, "s:");
        int countNested = application.registry().require("echo").function(Echo.COUNT_NESTED).orElseThrow().id();
        try (ClientConnection connection = (ClientConnection) application.connect(worker, "c")) {
            // A record whose list field declares about two billion elements.
            byte[] garbage = {0x19, (byte) 0xF9, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 1, 2, 3};
            assertThatThrownBy(() -> ClientConnection.await(connection.callRaw(countNested, garbage, "function 'countNested'")))
                    .isInstanceOf(RpcParallelException.class)
                    .hasMessageContaining("Cannot decode the argument of function 'countNested' with codec "
                            + Echo.COUNT_NESTED.argCodec().name());
            assertThat(connection.call(Echo.ECHO, "still usable")).isEqualTo("s:still usable");
            assertThat(connection.call(Echo.COUNT_NESTED, new Echo.Nested(List.of(List.of(List.of("a", "b")))))).isEqualTo(2L);
        }
    }

    @Test
    void messagesOverTheMaximumSizeFailWithTheFunctionTheSizeAndTheLimitOnBothSides() {
        application.initMaster(RpcSettings.defaults().withMaxMessageSize(64 * 1024));
        WorkerRef worker = application.serve(Echo.TYPE, "");
        try (Connection connection = application.connect(worker, "c")) {
            // The caller refuses to send an argument over the limit.
            assertThatThrownBy(() -> connection.call(Echo.ECHO, "y".repeat(100_000)))
                    .isInstanceOf(RpcParallelException.class)
                    .hasMessageContaining("function 'echo'")
                    .hasMessageMatching("(?s).*payload of 1000\\d\\d bytes is over the maximum message size of 65536 bytes.*");
            // The worker refuses to send a result over the limit, and says so to the caller.
            assertThatThrownBy(() -> connection.call(Echo.REPEAT, 100_000))
                    .isInstanceOf(RpcParallelException.class)
                    .hasMessageMatching("(?s).*cannot send the result of function 'repeat': 1000\\d\\d bytes, over the"
                            + " maximum message size of 65536 bytes.*");
            assertThat(connection.call(Echo.REPEAT, 60_000)).hasSize(60_000);
            assertThat(connection.call(Echo.ECHO, "still usable")).isEqualTo("still usable");
        }
    }

    @Test
    void twoHundredIdleUnauthenticatedConnectionsDoNotStopRealClientsAndAreClosedAtTheHandshakeTimeout()
            throws Exception {
        Duration handshakeTimeout = Duration.ofSeconds(3);
        // Raw TCP connections (RawPeer): the thrift transport, named.
        application.initMaster(RpcSettings.defaults().withTransport("thrift").withHandshakeTimeout(handshakeTimeout));
        WorkerRef worker = application.serve(Echo.TYPE, "s:");
        List<RawPeer> idle = new ArrayList<>();
        try {
            long opened = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                RawPeer peer = RawPeer.connect(worker);
                if (i % 2 == 0) {
                    // A slow client: the start of a frame, never the rest.
                    peer.write(new byte[] {0, 0, 0, 100, 0x15});
                }
                idle.add(peer);
            }
            long started = System.nanoTime();
            try (Connection connection = application.connect(worker, "real")) {
                assertThat(connection.call(Echo.ECHO, "served")).isEqualTo("s:served");
            }
            long servedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(servedMillis).isLessThan(handshakeTimeout.toMillis());

            long slowestCloseMillis = 0;
            for (RawPeer peer : idle) {
                peer.socket.setSoTimeout((int) handshakeTimeout.toMillis() + 10_000);
                InputStream in = peer.socket.getInputStream();
                try {
                    assertThat(in.read()).isEqualTo(-1);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("an idle connection was still open " + (handshakeTimeout.toMillis() + 10_000)
                            + " ms after the handshake timeout", e);
                } catch (IOException e) {
                    // reset by the worker: closed too
                }
                slowestCloseMillis = Math.max(slowestCloseMillis, (System.nanoTime() - opened) / 1_000_000);
            }
            System.out.printf("SecurityIT: with 200 idle unauthenticated connections a real client was served in %d ms;"
                    + " all 200 were closed by %d ms after the first opened (handshake timeout %d ms)%n",
                    servedMillis, slowestCloseMillis, handshakeTimeout.toMillis());
            assertThat(slowestCloseMillis).isGreaterThanOrEqualTo(handshakeTimeout.toMillis());
        } finally {
            idle.forEach(RawPeer::close);
        }
    }
}
