package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.StreamConnection;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A server channel over a real loopback TCP socket answers each call on its reading thread
 * without a flush (as the runtime's inline calls do): the reading thread must send the answers
 * before it waits for more input, and must decide that without asking the socket how many bytes
 * wait in the kernel ({@code available()} on a socket's stream is one {@code ioctl} per frame).
 * A reading thread that watches for the next call ({@code ReadingWatch}: the unix transport's)
 * asks only after the answer went out.
 */
class UnflushedAnswersTest {
    private static final int CALLS = 500;
    private static final int MAX_FRAME = 1 << 20;

    /**
     * The socket's own input stream, counting how often it is asked what is available while an
     * answer sent unflushed has not been written to the socket yet.
     */
    private static final class CountingInput extends FilterInputStream {
        final AtomicInteger availableCallsBeforeFlush = new AtomicInteger();
        final AtomicBoolean answerUnflushed = new AtomicBoolean();

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return in.read(bytes, offset, length);
        }

        @Override
        public int available() throws IOException {
            if (answerUnflushed.get()) {
                availableCallsBeforeFlush.incrementAndGet();
            }
            return in.available();
        }
    }

    /** The socket's own output stream: what it writes, the server's answer included, is out. */
    private static final class FlushedOutput extends FilterOutputStream {
        private final AtomicBoolean answerUnflushed;

        FlushedOutput(OutputStream out, AtomicBoolean answerUnflushed) {
            super(out);
            this.answerUnflushed = answerUnflushed;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            answerUnflushed.set(false);
        }
    }

    @Test
    void answersSentUnflushedGoOutBeforeTheReaderWaitsWithoutAskingTheSocketWhatIsAvailable() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(listening.getInetAddress(), listening.getLocalPort());
                Socket accepted = listening.accept()) {
            ThriftTransport.configure(client);
            ThriftTransport.configure(accepted);
            CountingInput serverInput = new CountingInput(accepted.getInputStream());
            StreamFrameChannel server = new StreamFrameChannel(new StreamConnection("thrift", "client",
                    serverInput, new FlushedOutput(accepted.getOutputStream(), serverInput.answerUnflushed), accepted),
                    MAX_FRAME, ThriftFrameCodec.FACTORY);
            FrameChannel caller = ThriftTransport.channel(client, MAX_FRAME);
            try {
                server.start(new Handler() {
                    @Override
                    public void onFrame(Frame frame) {
                        try {
                            // Answered unflushed: the reading thread flushes it.
                            server.send(new Frame(FrameKind.RESULT, frame.callId(), frame.functionId(),
                                    frame.payload()), false);
                            serverInput.answerUnflushed.set(true);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
                AtomicReference<CompletableFuture<Frame>> answer = new AtomicReference<>();
                caller.start(new Handler() {
                    @Override
                    public void onFrame(Frame frame) {
                        answer.get().complete(frame);
                    }
                });

                for (int call = 1; call <= CALLS; call++) {
                    CompletableFuture<Frame> next = new CompletableFuture<>();
                    answer.set(next);
                    byte[] payload = {(byte) call, (byte) (call >>> 8)};
                    caller.send(new Frame(FrameKind.CALL, call, 7, payload));
                    Frame result = next.get(30, TimeUnit.SECONDS);
                    assertThat(result.kind()).isEqualTo(FrameKind.RESULT);
                    assertThat(result.callId()).isEqualTo(call);
                    assertThat(result.payload()).isEqualTo(payload);
                }

                assertThat(serverInput.availableCallsBeforeFlush.get())
                        .as("times the server's reading thread asked the socket what is available before"
                                + " its answer went out")
                        .isZero();
            } finally {
                caller.close();
                server.close();
            }
        }
    }

    /** A handler that only answers frames; a close is the test's own. */
    private abstract static class Handler implements FrameHandler {
        @Override
        public void onClosed(Throwable cause) {}
    }
}
