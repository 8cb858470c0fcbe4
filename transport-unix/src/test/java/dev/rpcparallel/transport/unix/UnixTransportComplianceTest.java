package dev.rpcparallel.transport.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import dev.rpcparallel.transport.testkit.TransportCompliance;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The compliance kit on {@link UnixTransport} as {@link ServiceLoader} makes it (its socket
 * directory where the environment says: the build's), and what is particular to it.
 */
class UnixTransportComplianceTest extends TransportCompliance {
    private final UnixTransport transport = new UnixTransport();

    @Override
    protected Transport transport() {
        return transport;
    }

    @Override
    protected TransportAddress unusedAddress() throws IOException {
        // A socket file of the listener's directory that nobody bound.
        TransportListener listener = listen(config(LIMIT), channel -> {});
        Path bound = UnixTransport.socketPath(listener.address());
        return new TransportAddress(UnixTransport.NAME, bound.resolveSibling("nobody-" + bound.getFileName()).toString());
    }

    @Override
    protected RawConnection connectRaw(TransportAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(address.location()));
        return new RawConnection() {
            @Override
            public OutputStream output() {
                return Channels.newOutputStream(channel);
            }

            @Override
            public void shutdownOutput() throws IOException {
                channel.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Test
    void theTransportIsFoundByNameAndIsAvailableHere() {
        Transport found = ServiceLoader.load(Transport.class).stream().map(ServiceLoader.Provider::get)
                .filter(t -> t.name().equals("unix")).findFirst().orElseThrow();
        assertThat(found).isInstanceOf(UnixTransport.class);
        assertThat(found.isAvailable()).isTrue();
        assertThat(found.unavailabilityCause()).isNull();
    }

    @Test
    void addressesAreUnixUrlsOfSocketFilesInAPrivateDirectoryNamedByTheOwnerProcess() throws Exception {
        TransportListener listener = listen(config(LIMIT), channel -> {});
        String written = listener.address().toString();
        assertThat(written).startsWith("unix:///").endsWith(".sock");
        Path socket = Path.of(written.substring("unix://".length()));
        assertThat(socket).exists();
        assertThat(socket.getParent().getFileName().toString()).isEqualTo(SocketOwner.current().tag());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent().getParent())))
                .isEqualTo("rwx------");
        assertThat(socket.getParent().getParent()).isEqualTo(Path.of(System.getenv(SocketDirectory.ENVIRONMENT_VARIABLE))
                .toAbsolutePath());

        listener.close();
        assertThat(socket).as("the socket file once its listener closed").doesNotExist();
    }

    @Test
    void tlsIsRefusedWithTheReasonAndTheFix() {
        TransportConfig tls = new TransportConfig(LIMIT, Duration.ofSeconds(5),
                TlsSettings.of(Path.of("keys.p12"), "x", Path.of("trust.p12"), "x"));
        assertThatThrownBy(() -> transport.listen(listenOptions(), tls, channel -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not do TLS")
                .hasMessageContaining("transport=thrift for TLS");
        assertThatThrownBy(() -> transport.connect("unix:///tmp/x.sock", tls))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not do TLS");
    }

    @Test
    void aRelativeSocketPathIsNotAUnixAddress() {
        assertThatThrownBy(() -> transport.connect("unix://relative/x.sock", config(LIMIT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected unix:///absolute/path/to/socket");
    }

    @Test
    void whereAfUnixIsMissingTheTransportSaysItIsUnavailableAndWhy() {
        UnsupportedOperationException missing = new UnsupportedOperationException("no AF_UNIX");
        UnixTransport without = new UnixTransport(() -> {
            throw new AssertionError("no directory is made for an unavailable transport");
        }, missing, null);
        assertThat(without.isAvailable()).isFalse();
        assertThat(without.unavailabilityCause()).isSameAs(missing);
        assertThatThrownBy(() -> without.listen(listenOptions(), config(LIMIT), channel -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be used here: java.lang.UnsupportedOperationException: no AF_UNIX");
        assertThat(UnixTransport.Availability.probe()).as("AF_UNIX on this machine").isNull();
    }

    @Test
    void aProcessOfAnotherUserIsRefusedBeforeAnyFrameWithOneLoggedLine() throws Exception {
        // The peer here is this process's user; a transport that admits only another user must refuse it.
        UnixTransport strict = new UnixTransport(() -> SocketDirectory.create(
                Path.of(System.getenv(SocketDirectory.ENVIRONMENT_VARIABLE)), SocketOwner.current(), "test"),
                null, "someone-else");
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        try (LogLines log = LogLines.of(ListeningSocket.class)) {
            TransportListener listener = track(strict.listen(listenOptions(), config(LIMIT), accepted::add));
            SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX);
            peer.connect(UnixDomainSocketAddress.of(listener.address().location()));
            try (peer) {
                org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !log.lines().isEmpty());
                // Closed by the listener: the peer reads the end of the stream.
                assertThat(Channels.newInputStream(peer).read()).isEqualTo(-1);
            }
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0))
                    .startsWith("WARN Refused a connection to " + listener.address() + " from a process of user "
                            + System.getProperty("user.name"))
                    .endsWith("only someone-else may connect (SO_PEERCRED)")
                    .doesNotContain("\n");
            assertThat(log.thrown()).isEmpty();
            assertThat(accepted).as("channels handed to the runtime").isEmpty();
        }
    }
}
