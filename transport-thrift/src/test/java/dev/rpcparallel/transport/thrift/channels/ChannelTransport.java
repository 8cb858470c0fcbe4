package dev.rpcparallel.transport.thrift.channels;

import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import dev.rpcparallel.transport.stream.ChannelStreams;
import dev.rpcparallel.transport.stream.StreamConnection;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import dev.rpcparallel.transport.stream.StreamListener;
import dev.rpcparallel.transport.thrift.ThriftFrameCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport over {@link SocketChannel}s (TCP, or Unix domain sockets in a directory) with the
 * Thrift framing, built from the stream support alone: what a second stream transport costs.
 * For the compliance kit's tests of the seam; no TLS, no socket options, no cleanup of files.
 */
final class ChannelTransport implements Transport {
    private final String name;
    /** The directory of the socket files; {@code null} for TCP. */
    private final Path directory;
    private final AtomicInteger nextSocket = new AtomicInteger();

    private ChannelTransport(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    static ChannelTransport tcp() {
        return new ChannelTransport("tcpchannel", null);
    }

    static ChannelTransport unix(Path directory) {
        return new ChannelTransport("unixchannel", directory);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor)
            throws IOException {
        ServerSocketChannel server;
        TransportAddress address;
        if (directory == null) {
            server = ServerSocketChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(options.host(), 0));
            InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
            address = new TransportAddress(name, bound.getHostString() + ":" + bound.getPort());
        } else {
            Path file = directory.resolve("s" + nextSocket.incrementAndGet() + ".sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(file));
            address = new TransportAddress(name, file.toString());
        }
        return StreamListener.start(name, address.location(), new StreamListener.Source<SocketChannel>() {
            @Override
            public SocketChannel accept() throws IOException {
                return server.accept();
            }

            @Override
            public StreamConnection open(SocketChannel channel) throws IOException {
                return ChannelStreams.connection(name, address + "/peer", channel);
            }

            @Override
            public void close() throws IOException {
                server.close();
                if (directory != null) {
                    Files.deleteIfExists(Path.of(address.location()));
                }
            }
        }, address, config.maxFrameSize(), ThriftFrameCodec.FACTORY, acceptor);
    }

    @Override
    public FrameChannel connect(TransportAddress address, TransportConfig config) throws IOException {
        address.requireScheme(name);
        SocketAddress target;
        if (directory == null) {
            int colon = address.location().lastIndexOf(':');
            target = new InetSocketAddress(address.location().substring(0, colon),
                    Integer.parseInt(address.location().substring(colon + 1)));
        } else {
            target = UnixDomainSocketAddress.of(address.location());
        }
        SocketChannel channel = SocketChannel.open(target);
        try {
            return new StreamFrameChannel(ChannelStreams.connection(name, address.toString(), channel),
                    config.maxFrameSize(), ThriftFrameCodec.FACTORY);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
