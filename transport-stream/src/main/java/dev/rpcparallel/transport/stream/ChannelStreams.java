package dev.rpcparallel.transport.stream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.Objects;

/**
 * The streams of a blocking {@link ByteChannel} (a {@code SocketChannel} of any protocol family,
 * a Unix domain socket's included) for a {@link StreamConnection}: a reading thread and a writing
 * thread may use them at once. The streams of {@link java.nio.channels.Channels} may not (on
 * Java 17 both hold the channel's blocking lock, so a read waiting for input stops every write).
 *
 * <p>The input cannot tell how many bytes wait in the channel ({@code available()} is 0; the JDK's
 * channels have no way to ask). A {@link StreamFrameChannel} does not ask either, of any
 * transport: it flushes what was sent unflushed each time its own buffer is empty. Large frames
 * do not depend on it: they are read straight into their own array ({@code FrameInput}).
 *
 * <p>A write keeps the channel open when the writing thread's interrupt is pending (it is set
 * aside for the write and restored); an interrupt that arrives during the write itself still
 * closes the channel, as an {@link java.nio.channels.InterruptibleChannel} does.
 */
public final class ChannelStreams {
    private ChannelStreams() {}

    /** The connection of a connected, blocking channel; closing it closes the channel. */
    public static StreamConnection connection(String transport, String remoteAddress, ByteChannel channel) {
        requireNonNull(channel, "channel");
        return new StreamConnection(transport, remoteAddress, input(channel), output(channel), channel);
    }

    /** Reads the channel; the end of its input is the end of the stream. */
    public static InputStream input(ByteChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                do {
                    n = read(one, 0, 1);
                } while (n == 0);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, bytes.length);
                if (length == 0) {
                    return 0;
                }
                return channel.read(ByteBuffer.wrap(bytes, offset, length));
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Writes to the channel, each write whole. */
    public static OutputStream output(ByteChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, bytes.length);
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                // Callers write their own calls: an interrupt pending on the caller's thread is
                // meant for its call (it cancels it), but an interruptible channel written
                // with it pending closes itself, and so every call of the connection. It is
                // set aside for the write and given back after.
                boolean interrupted = Thread.interrupted();
                try {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
