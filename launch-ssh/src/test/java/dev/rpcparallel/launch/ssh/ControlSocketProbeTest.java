package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket probe against real unix-domain sockets standing for each state of a master
 * (the real ssh master's hello: {@code SshControlSocketIT}).
 */
class ControlSocketProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void noSocketFileIsNoMaster() throws Exception {
        assertThat(ControlSocketProbe.probe(directory.resolve("none"), TIMEOUT)).isEqualTo(ControlSocketProbe.State.ABSENT);
    }

    @Test
    void aSocketFileNobodyListensOnIsStale() throws Exception {
        Path socket = directory.resolve("killed");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();
        assertThat(socket).exists();

        assertThat(ControlSocketProbe.probe(socket, TIMEOUT)).isEqualTo(ControlSocketProbe.State.STALE);
    }

    @Test
    void aMasterThatGreetsAnswers() throws Exception {
        Path socket = directory.resolve("greets");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture<Void> greeted = CompletableFuture.runAsync(() -> {
                try (SocketChannel client = server.accept()) {
                    client.write(ByteBuffer.allocate(12).putInt(8).putInt(ControlSocketProbe.MUX_MSG_HELLO).putInt(4).flip());
                    client.read(ByteBuffer.allocate(1)); // until the probe closes
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(ControlSocketProbe.probe(socket, TIMEOUT)).isEqualTo(ControlSocketProbe.State.ANSWERS);
            greeted.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMasterThatClosesWithoutAHelloIsGone() throws Exception {
        Path socket = directory.resolve("exiting");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
                try {
                    server.accept().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(ControlSocketProbe.probe(socket, TIMEOUT)).isEqualTo(ControlSocketProbe.State.GONE);
            closed.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSocketThatAcceptsButNeverGreetsTimesOut() throws Exception {
        Path socket = directory.resolve("stopped");
        try (ServerSocketChannel server = listen(socket)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ControlSocketProbe.probe(socket, Duration.ofMillis(300)))
                    .isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aSocketThatAnswersSomethingElseIsNamed() throws Exception {
        Path socket = directory.resolve("other");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture.runAsync(() -> {
                try (SocketChannel client = server.accept()) {
                    client.write(ByteBuffer.allocate(12).putInt(8).putInt(0x80000001).putInt(4).flip());
                    client.read(ByteBuffer.allocate(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> ControlSocketProbe.probe(socket, TIMEOUT))
                    .hasMessage("the ssh control socket " + socket + " answered with message type -2147483647"
                            + " (length 8), not an ssh master's hello");
        }
        assertThat(Files.exists(socket)).isTrue();
    }

    private static ServerSocketChannel listen(Path socket) throws Exception {
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
    }
}
