package dev.rpcparallel.transport.stream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * The streams of a connected {@code SocketChannel} (of any protocol family, a Unix domain
 * socket's included) for a {@link StreamConnection}: a reading thread and a writing thread may use
 * them at once. The streams of {@link java.nio.channels.Channels} may not (on Java 17 both hold
 * the channel's blocking lock, so a read waiting for input stops every write).
 *
 * <p>The channel is put in non-blocking mode and its reads and writes wait in selectors
 * ({@link SelectingChannel}): <b>an interrupt never closes the connection</b>. In blocking mode
 * the JDK closes an {@link java.nio.channels.InterruptibleChannel} whose blocked reader or writer
 * is interrupted, and callers write their own frames: one caller cancelled (by
 * {@code Future.cancel(true)}, {@code shutdownNow()}) while it wrote would have ended every call
 * of the connection. A thread interrupted in a read or write finishes it and keeps its interrupt:
 * the frame it writes goes out whole, so the frames of the others stay intact on the wire, and
 * the interrupt then cancels its own call.
 *
 * <p>The input cannot tell how many bytes wait in the channel (the JDK's channels have no way to
 * ask): its {@code available()} is 1 when a read would not wait (bytes, or the end of input, are
 * there), else 0, which is what a reading thread's watch asks ({@link ReadingWatch}). A {@link
 * StreamFrameChannel} does not ask it before flushing, of any transport: it flushes what was sent
 * unflushed each time its own buffer is empty. Large frames do not depend on it: they are read
 * straight into their own array ({@code FrameInput}).
 */
public final class ChannelStreams {
    private ChannelStreams() {}

    /**
     * The connection of a connected channel, which it switches to non-blocking mode; closing the
     * connection closes the channel.
     *
     * @throws IOException if the channel cannot be set up (it is closed then)
     */
    public static <C extends SelectableChannel & ByteChannel> StreamConnection connection(String transport,
            String remoteAddress, C channel) throws IOException {
        requireNonNull(channel, "channel");
        SelectingChannel selecting = new SelectingChannel(channel);
        return new StreamConnection(transport, remoteAddress, input(selecting), output(selecting), selecting::close);
    }

    /** Reads the channel; the end of its input is the end of the stream. */
    private static InputStream input(SelectingChannel channel) {
        return new ChannelInput(channel);
    }

    /**
     * The input of a channel: a {@link StreamFrameChannel}'s reading thread watches it before it
     * sleeps ({@link ReadingWatch}), and only it (see {@link FrameInput#FrameInput(InputStream, int)}).
     */
    static final class ChannelInput extends InputStream {
        private final SelectingChannel channel;

        private ChannelInput(SelectingChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
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
        public int available() throws IOException {
            return channel.readable() ? 1 : 0;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Writes to the channel, each write whole. */
    private static OutputStream output(SelectingChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, bytes.length);
                channel.write(ByteBuffer.wrap(bytes, offset, length));
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
