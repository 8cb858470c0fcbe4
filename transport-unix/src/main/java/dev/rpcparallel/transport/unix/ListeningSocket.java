package dev.rpcparallel.transport.unix;

import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.transport.stream.ChannelStreams;
import dev.rpcparallel.transport.stream.StreamConnection;
import dev.rpcparallel.transport.stream.StreamListener;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A bound Unix domain socket as a {@link StreamListener} accepts from it: connections of
 * processes of another user are refused here, before any byte is read, each with one line in
 * the log; closing it deletes its socket file. Used by the listener's accept thread.
 */
final class ListeningSocket implements StreamListener.Source<SocketChannel> {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(ListeningSocket.class);
    }

    private final ServerSocketChannel server;
    private final Path file;
    private final TransportAddress address;
    private final String allowedUser;
    private boolean peerCheckUnsupportedLogged;

    ListeningSocket(ServerSocketChannel server, Path file, TransportAddress address, String allowedUser) {
        this.server = server;
        this.file = file;
        this.address = address;
        this.allowedUser = allowedUser;
    }

    @Override
    public SocketChannel accept() throws IOException {
        while (true) {
            SocketChannel channel = server.accept();
            String peer = peerUser(channel);
            if (peer == null || peer.equals(allowedUser)) {
                SendBuffer.size(channel);
                return channel;
            }
            Log.LOG.warn("Refused a connection to {} from a process of user {}: only {} may connect (SO_PEERCRED)",
                    address, peer, allowedUser);
            try {
                channel.close();
            } catch (IOException e) {
                // refused either way
            }
        }
    }

    /** The user of the peer process, as the kernel tells it; null where it cannot tell. */
    private String peerUser(SocketChannel channel) {
        try {
            UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return principal.user().getName();
        } catch (UnsupportedOperationException | IOException e) {
            if (!peerCheckUnsupportedLogged) {
                peerCheckUnsupportedLogged = true;
                Log.LOG.debug("Cannot tell the user of peers at {} ({}): the socket directory's mode alone keeps"
                        + " other users out", address, e.toString());
            }
            return null;
        }
    }

    @Override
    public StreamConnection open(SocketChannel channel) throws IOException {
        return ChannelStreams.connection(UnixTransport.NAME, address.toString(), channel);
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
