package dev.rpcparallel.transport.thrift.channels;

import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.transport.testkit.TransportCompliance;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance kit on transports over {@link SocketChannel}s made of the stream support and
 * the Thrift framing alone: TCP, and Unix domain sockets (the seam a Unix socket transport uses).
 */
class ChannelTransportComplianceTest {

    @Nested
    class OverTcp extends TransportCompliance {
        private final ChannelTransport transport = ChannelTransport.tcp();

        @Override
        protected Transport transport() {
            return transport;
        }

        @Override
        protected TransportAddress unusedAddress() throws IOException {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            return new TransportAddress(transport.name(), LOOPBACK + ":" + port);
        }

        @Override
        protected RawConnection connectRaw(TransportAddress address) throws IOException {
            int colon = address.location().lastIndexOf(':');
            return raw(new InetSocketAddress(address.location().substring(0, colon),
                    Integer.parseInt(address.location().substring(colon + 1))));
        }
    }

    @Nested
    class OverUnixSockets extends TransportCompliance {
        @TempDir
        Path directory;
        private ChannelTransport transport;

        @Override
        protected Transport transport() {
            if (transport == null) {
                transport = ChannelTransport.unix(directory);
            }
            return transport;
        }

        @Override
        protected ListenOptions listenOptions() {
            return ListenOptions.on("");
        }

        @Override
        protected TransportAddress unusedAddress() throws IOException {
            Path nobody = Files.createTempDirectory(directory, "empty").resolve("nobody.sock");
            return new TransportAddress(transport().name(), nobody.toString());
        }

        @Override
        protected RawConnection connectRaw(TransportAddress address) throws IOException {
            return raw(UnixDomainSocketAddress.of(address.location()));
        }
    }

    private static TransportCompliance.RawConnection raw(SocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        channel.connect(address);
        return new TransportCompliance.RawConnection() {
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
}
