package dev.rpcparallel.transport.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connect timeout holds for Unix domain sockets too: a listener that accepts nothing. */
class UnixConnectTimeoutTest {

    @TempDir
    Path directory;

    @Test
    void aConnectToAListenerWhoseBacklogIsFullFailsAtTheConnectTimeout() throws Exception {
        assertConnectTimesOutAfter(Duration.ofMillis(300));
    }

    /** The deadline thread ends when idle, but never while a deadline is still to come. */
    @Test
    void aDeadlineLongerThanTheIdleThreadsKeepAliveStillFires() throws Exception {
        assertConnectTimesOutAfter(Duration.ofSeconds(ConnectDeadline.IDLE_SECONDS).multipliedBy(2).plusMillis(500));
    }

    @Test
    void theDeadlineThreadEndsAfterAConnectAndStartsAgainForTheNext() throws Exception {
        Path file = directory.resolve("open.sock");
        TransportAddress address = new TransportAddress(UnixTransport.NAME, file.toString());
        TransportConfig config = new TransportConfig(1024 * 1024, Duration.ofSeconds(30));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file));
            new UnixTransport().connect(address, config).close();
            // Bounded by the keep-alive: a thread kept for good (the old timer) never ends.
            await().atMost(Duration.ofSeconds(ConnectDeadline.IDLE_SECONDS + 20))
                    .until(() -> deadlineThreads() == 0);

            assertConnectTimesOutAfter(Duration.ofMillis(300));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long deadlineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(ConnectDeadline.THREAD_NAME) && thread.isAlive())
                .count();
    }

    private void assertConnectTimesOutAfter(Duration timeout) throws Exception {
        Path file = directory.resolve("full.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(file), 1);
            fillBacklog(file, queued);
            TransportAddress address = new TransportAddress(UnixTransport.NAME, file.toString());
            TransportConfig config = new TransportConfig(1024 * 1024, timeout);

            long start = System.nanoTime();
            CompletableFuture<Void> connect = CompletableFuture.runAsync(() -> {
                try {
                    new UnixTransport().connect(address, config).close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            // Without the deadline the connect would wait until the listener accepts: forever.
            assertThatThrownBy(() -> connect.get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(java.nio.channels.AsynchronousCloseException.class)
                    .cause().cause().isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("cannot connect to " + address + " within " + timeout.toMillis() + " ms: its listener does not accept"
                            + " connections");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);
        } finally {
            for (SocketChannel channel : queued) {
                channel.close();
            }
            Files.deleteIfExists(file);
        }
    }

    /** Connects without blocking until the kernel refuses one more: the listener's backlog is full. */
    private static void fillBacklog(Path file, List<SocketChannel> queued) throws IOException {
        for (int i = 0; i < 64; i++) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            try {
                channel.connect(UnixDomainSocketAddress.of(file));
                queued.add(channel);
            } catch (IOException full) {
                channel.close();
                return;
            }
        }
        throw new IllegalStateException("the backlog of " + file + " never filled");
    }
}
