package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.stream.StreamConnection;
import dev.rpcparallel.transport.stream.StreamFrameChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stream channel's buffers start small and grow only when frames need it: opening a channel
 * over a real loopback socket allocates far less than its two buffers at their largest, and a
 * 16 MiB payload still goes both ways, intact.
 */
class StreamBuffersOnDemandTest {
    private static final int MAX_FRAME = 32 << 20;

    @Test
    void openingAChannelAllocatesLessThanOneBufferAtItsLargest() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(listening.getInetAddress(), listening.getLocalPort());
                Socket accepted = listening.accept()) {
            // The first channel loads the classes; the second is measured. Neither is started.
            open(client);
            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            StreamFrameChannel channel = open(client);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;

            assertThat(channel).isNotNull();
            System.out.println("bytes allocated opening a stream channel: " + allocated);
            // Before, the two buffers alone were 2 x 64 KiB, allocated when the channel opened.
            assertThat(allocated).as("bytes allocated opening a channel").isLessThan(StreamFrameChannel.BUFFER_SIZE / 2);
        }
    }

    private static StreamFrameChannel open(Socket socket) throws IOException {
        return new StreamFrameChannel(new StreamConnection("thrift", "peer", socket.getInputStream(),
                socket.getOutputStream(), socket), MAX_FRAME, ThriftFrameCodec.FACTORY);
    }

    @Test
    void aSixteenMebibytePayloadGoesBothWaysAfterSmallFrames() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(listening.getInetAddress(), listening.getLocalPort());
                Socket accepted = listening.accept()) {
            ThriftTransport.configure(client);
            ThriftTransport.configure(accepted);
            StreamFrameChannel server = ThriftTransport.channel(accepted, MAX_FRAME);
            FrameChannel caller = ThriftTransport.channel(client, MAX_FRAME);
            try {
                server.start(new Handler() {
                    @Override
                    public void onFrame(Frame frame) {
                        try {
                            server.send(new Frame(FrameKind.RESULT, frame.callId(), frame.functionId(),
                                    frame.payload()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
                CompletableFuture<Frame>[] answers = new CompletableFuture[4];
                for (int i = 0; i < answers.length; i++) {
                    answers[i] = new CompletableFuture<>();
                }
                caller.start(new Handler() {
                    @Override
                    public void onFrame(Frame frame) {
                        answers[(int) frame.callId()].complete(frame);
                    }
                });

                int[] sizes = {32, 40 * 1024, 16 << 20, 100};
                byte[][] payloads = new byte[sizes.length][];
                for (int i = 0; i < sizes.length; i++) {
                    payloads[i] = pattern(sizes[i], i);
                    caller.send(new Frame(FrameKind.CALL, i, 7, payloads[i]), false);
                }
                caller.flush();

                for (int i = 0; i < sizes.length; i++) {
                    Frame answer = answers[i].get(60, TimeUnit.SECONDS);
                    assertThat(answer.kind()).isEqualTo(FrameKind.RESULT);
                    assertThat(answer.payload()).as("payload of %d bytes, echoed", sizes[i]).isEqualTo(payloads[i]);
                }
            } finally {
                caller.close();
                server.close();
            }
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 11) + seed);
        }
        return bytes;
    }

    /** A handler for frames only; a close is the test's own. */
    private abstract static class Handler implements FrameHandler {
        @Override
        public void onClosed(Throwable cause) {}
    }
}
