package dev.rpcparallel.transport.stream;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One connected byte stream, as a transport hands it to a {@link StreamFrameChannel}.
 *
 * <p>The streams are used by two threads at once, one reading and one writing (under the
 * channel's write lock): they must allow that, as a socket's streams do. Closing
 * {@code connection} must make a read blocked in {@code input} return or fail, and the peer's
 * reads end.
 *
 * @param transport the transport's name, for thread names and logs
 * @param remoteAddress the peer's address, for logs and errors
 * @param input what the peer sends; the channel buffers it
 * @param output what the peer receives; the channel buffers it
 * @param connection closes the connection (both streams)
 */
public record StreamConnection(String transport, String remoteAddress, InputStream input, OutputStream output,
        Closeable connection) {
    public StreamConnection {
        requireNonNull(transport, "transport");
        requireNonNull(remoteAddress, "remoteAddress");
        requireNonNull(input, "input");
        requireNonNull(output, "output");
        requireNonNull(connection, "connection");
    }
}
