package dev.rpcparallel.transport.unix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A unix-domain connection's send buffer takes a whole frame of the largest piece without waiting for the peer. */
class SendBufferTest {
    /** A payload piece of {@code FrameWriter.CHUNK_SIZE} and more than any frame's header. */
    private static final int LARGEST_FRAME = 256 * 1024 + 64;

    @TempDir
    Path directory;

    @Test
    void aWholeFrameOfTheLargestPieceIsWrittenWhileThePeerReadsNothing() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(directory.resolve("s.sock"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(address);
            try (SocketChannel accepted = server.accept()) {
                SendBuffer.size(client);
                SendBuffer.size(accepted);

                // Non-blocking: a write that would wait for the peer writes less than the frame.
                for (SocketChannel end : new SocketChannel[] {client, accepted}) {
                    end.configureBlocking(false);
                    ByteBuffer frame = ByteBuffer.allocateDirect(LARGEST_FRAME);
                    assertThat(end.write(frame)).as("bytes written at once").isEqualTo(LARGEST_FRAME);
                }
            }
        }
    }
}
