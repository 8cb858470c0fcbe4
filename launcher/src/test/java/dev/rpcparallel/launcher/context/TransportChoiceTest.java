package dev.rpcparallel.launcher.context;

import dev.rpcparallel.launcher.tls.ApplicationTls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {
    private static final RpcSettings AUTO = RpcSettings.defaults().withTransport(RpcSettings.AUTOMATIC_TRANSPORT);
    private static final ClassLoader LOADER = TransportChoiceTest.class.getClassLoader();

    /** A unix transport as a platform without AF_UNIX has it. */
    private static final Transport UNAVAILABLE_UNIX = new Transport() {
        @Override
        public String name() {
            return "unix";
        }

        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public Throwable unavailabilityCause() {
            return new UnsupportedOperationException("no AF_UNIX here");
        }

        @Override
        public TransportListener listen(ListenOptions options, TransportConfig config, ChannelAcceptor acceptor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FrameChannel connect(TransportAddress address, TransportConfig config) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void settingsThatNameNoTransportGiveWorkersOnThisHostTheUnixTransport() {
        assertThat(System.getProperty(RpcSettings.TRANSPORT_PROPERTY)).as("this test's JVM names no transport").isNull();
        assertThat(RpcSettings.defaults().transport()).isEqualTo(RpcSettings.AUTOMATIC_TRANSPORT);

        TransportChoice choice = TransportChoice.forWorker(RpcSettings.defaults(), true, LOADER);

        assertThat(choice.transport()).isEqualTo("unix");
        assertThat(choice.reason()).isEqualTo("workers on this host: Unix domain sockets are faster than TCP here and"
                + " open no network port");
    }

    @Test
    void aWorkerOnAnotherHostGetsTcp() {
        TransportChoice choice = TransportChoice.forWorker(AUTO, false, LOADER);

        assertThat(choice).isEqualTo(new TransportChoice("thrift", "the worker runs on another host"));
        assertThat(choice.settingsFor(AUTO).transport()).isEqualTo("thrift");
    }

    @Test
    void tlsABindAddressOrAnAdvertisedHostAskForTcpEvenOnThisHost() {
        TlsSettings tls = new TlsSettings("/keys/node.p12", "k", "/keys/trusted.p12", "t");
        assertThat(TransportChoice.forWorker(AUTO.withTls(tls), true, LOADER))
                .isEqualTo(new TransportChoice("thrift", "TLS is asked for, and the unix transport has none"));
        assertThat(TransportChoice.forWorker(AUTO.withBindHost("0.0.0.0"), true, LOADER)).isEqualTo(new TransportChoice(
                "thrift", "a bind address is set (bindHost=0.0.0.0): the workers are to be reached over the network"));
        assertThat(TransportChoice.forWorker(AUTO.withAdvertisedHost("node7"), true, LOADER)).isEqualTo(
                new TransportChoice("thrift", "an advertised host is set (advertisedHost=node7): the workers are to be"
                        + " reached over the network"));
        // Loopback by any of its names asks for no network.
        assertThat(TransportChoice.forWorker(AUTO.withBindHost("localhost"), true, LOADER).transport()).isEqualTo("unix");
    }

    @Test
    void withoutAUsableUnixTransportLocalWorkersGetTcpAndTheReasonSaysWhy() {
        assertThat(TransportChoice.forWorker(AUTO, true, Optional.empty())).isEqualTo(new TransportChoice("thrift",
                "the unix transport is not on the class path (rpc-parallel-transport-unix)"));
        assertThat(TransportChoice.forWorker(AUTO, true, Optional.of(UNAVAILABLE_UNIX))).isEqualTo(new TransportChoice(
                "thrift", "the unix transport cannot be used here: java.lang.UnsupportedOperationException: no AF_UNIX here"));
    }

    @Test
    void aTransportTheSettingsNameIsKeptEverywhere() {
        RpcSettings thrift = AUTO.withTransport("thrift");
        for (boolean local : new boolean[] {true, false}) {
            assertThat(TransportChoice.forWorker(thrift, local, LOADER))
                    .isEqualTo(new TransportChoice("thrift", "named by the settings (transport=thrift)"));
        }
        assertThat(TransportChoice.forWorker(AUTO.withTransport("unix").withBindHost("0.0.0.0"), true, LOADER)
                .transport()).isEqualTo("unix");
    }

    @Test
    void aProcessListensOnTheChoiceAndConnectsByTheAddressesScheme() throws Exception {
        Transport process = Transports.ofProcess(AUTO, LOADER, ApplicationTls.none());
        assertThat(process.name()).isEqualTo("unix");
        assertThat(Transports.ofProcess(AUTO.withTransport("thrift"), LOADER, ApplicationTls.none()).name()).isEqualTo("thrift");

        // A thrift address through the unix-listening process transport: reached with thrift
        // (nothing listens there, so the connect is refused by TCP, not rejected as a unix address).
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> process.connect(
                    TransportAddress.parse("thrift://127.0.0.1:" + port),
                    new TransportConfig(1024 * 1024, java.time.Duration.ofSeconds(5))))
                    .isInstanceOf(java.net.ConnectException.class)
                    .hasMessageStartingWith("cannot connect to thrift://127.0.0.1:" + port);
        }
    }
}
