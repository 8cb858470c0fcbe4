package dev.rpcparallel.transport.stream;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Both ends of a real Unix domain socket, each as the connection the unix transport makes of it
 * ({@link ChannelStreams#connection}): {@code near} is the connecting end, {@code far} the
 * accepted one. For the tests of this package.
 */
final class UnixStreamPair implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SocketChannel nearChannel;
    private final StreamConnection near;
    private final StreamConnection far;

    /** Listens on {@code s.sock} in {@code directory}, connects, and accepts. */
    UnixStreamPair(Path directory) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(directory.resolve("s.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        nearChannel = SocketChannel.open(address);
        near = ChannelStreams.connection("unix", "far", nearChannel);
        far = ChannelStreams.connection("unix", "near", server.accept());
    }

    StreamConnection near() {
        return near;
    }

    StreamConnection far() {
        return far;
    }

    /** The connecting end's socket channel itself, to ask whether it is still open. */
    SocketChannel nearChannel() {
        return nearChannel;
    }

    @Override
    public void close() throws IOException {
        near.connection().close();
        far.connection().close();
        server.close();
    }
}
