package dev.rpcparallel.transport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import dev.rpcparallel.transport.testkit.TransportCompliance;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** The compliance kit on {@link LocalTransport}, and what is particular to it. */
class LocalTransportComplianceTest extends TransportCompliance {
    private final LocalTransport transport = new LocalTransport();

    @Override
    protected Transport transport() {
        return transport;
    }

    @Override
    protected TransportAddress unusedAddress() {
        return new TransportAddress(LocalTransport.NAME, "nobody-listens-here");
    }

    @Override
    protected RawConnection connectRaw(TransportAddress address) throws IOException {
        LocalConnection connection = LocalTransport.connectRaw(address);
        return new RawConnection() {
            @Override
            public OutputStream output() {
                return connection.output();
            }

            @Override
            public void shutdownOutput() {
                connection.shutdownOutput();
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    @Test
    void theTransportIsFoundByName() {
        assertThat(ServiceLoader.load(Transport.class).stream().map(ServiceLoader.Provider::get)
                .filter(found -> found.name().equals("local")))
                .singleElement()
                .isInstanceOf(LocalTransport.class);
    }

    @Test
    void addressesAreNamesInThisJvm() throws Exception {
        TransportListener listener = listen(config(LIMIT), channel -> {});
        assertThat(listener.address().toString()).matches("local://listener-[0-9]+");
        listener.close();
        assertThatThrownBy(() -> transport.connect(listener.address(), config(LIMIT)))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessageContaining(listener.address().toString())
                .hasMessageContaining("nothing listens");
    }

    @Test
    void aFrameHeaderClaimingTwoGibibytesClosesThatChannelNamingTheLimit() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        try (RawConnection raw = connectRaw(listener.address())) {
            RecordingHandler handler = startNext(accepted);
            raw.output().write(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(1).array());
            assertThat(handler.awaitClosed()).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining(String.valueOf(Integer.MAX_VALUE))
                    .hasMessageContaining(String.valueOf(LIMIT));
        }
        assertListenerServes(listener, accepted);
    }

    @Test
    void anUnknownFrameKindClosesTheChannelSayingSo() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        try (RawConnection raw = connectRaw(listener.address())) {
            RecordingHandler handler = startNext(accepted);
            raw.output().write(ByteBuffer.allocate(4 + LocalFrameCodec.HEADER).putInt(LocalFrameCodec.HEADER)
                    .put((byte) 99).putLong(1).putInt(2).array());
            assertThat(handler.awaitClosed()).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("unknown frame kind 99");
            assertThat(handler.framesLeft()).isZero();
        }
    }

    @Test
    void tlsIsRefusedSayingWhy() {
        TransportConfig withTls = new TransportConfig(LIMIT, Duration.ofSeconds(1),
                new TlsSettings("keys.p12", "secret", "trust.p12", "secret"));
        assertThatThrownBy(() -> transport.listen(ListenOptions.on(LOOPBACK), withTls, channel -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no TLS");
    }

    @Test
    void aPipeHoldsAtMostItsCapacityForAReaderThatDoesNotRead() throws Exception {
        BytePipe pipe = new BytePipe("test pipe", 1000);
        Thread writer = new Thread(() -> {
            try {
                pipe.write(new byte[2500], 0, 2500);
            } catch (IOException e) {
                // Closed below.
            }
        });
        writer.start();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> writer.getState() == Thread.State.WAITING);
        assertThat(pipe.available()).isEqualTo(1000);
        byte[] into = new byte[4000];
        int got = 0;
        while (got < 2500) {
            got += pipe.read(into, got, into.length - got);
        }
        writer.join(WAIT.toMillis());
        assertThat(writer.isAlive()).isFalse();
        pipe.closeWriter();
        assertThat(pipe.read(into, 0, 1)).isEqualTo(-1);
    }
}
