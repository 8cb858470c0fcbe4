package dev.rpcparallel.launcher.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.tls.ApplicationTls;
import dev.rpcparallel.spi.transport.Transport;
import org.junit.jupiter.api.Test;

class MastersTransportTest {
    private static final RpcSettings AUTO = RpcSettings.defaults().withTransport(RpcSettings.AUTOMATIC_TRANSPORT);
    private static final ClassLoader LOADER = MastersTransportTest.class.getClassLoader();
    private static final String UNIX = "dev.rpcparallel.transport.unix.UnixTransport";
    private static final String THRIFT = "dev.rpcparallel.transport.thrift.ThriftTransport";

    @Test
    void theProviderTheMasterNamesIsTheOneMade() {
        assertThat(MastersTransport.make(UNIX, AUTO, LOADER)).get().extracting(Transport::name).isEqualTo("unix");
        assertThat(MastersTransport.make(THRIFT, AUTO, LOADER)).get().extracting(Transport::name)
                .isEqualTo("thrift");
        assertThat(Transports.ofProcess(AUTO, LOADER, ApplicationTls.ofWorker(null), THRIFT).name())
                .isEqualTo("thrift");
    }

    @Test
    void noProviderOrOneThatCannotServeLeavesTheChoiceToTheWorker() {
        assertThat(MastersTransport.make("", AUTO, LOADER)).isEmpty();
        assertThat(MastersTransport.make("dev.rpcparallel.transport.NoSuchTransport", AUTO, LOADER)).isEmpty();
        assertThat(MastersTransport.make("java.lang.String", AUTO, LOADER)).isEmpty();
        // Settings that name another transport win over the master's provider.
        assertThat(MastersTransport.make(THRIFT, AUTO.withTransport("unix"), LOADER)).isEmpty();
        assertThat(Transports.ofProcess(AUTO.withTransport("unix"), LOADER, ApplicationTls.ofWorker(null), THRIFT)
                .name()).isEqualTo("unix");
        assertThat(Transports.ofProcess(AUTO, LOADER, ApplicationTls.ofWorker(null), "no.Such").name())
                .isEqualTo(TransportChoice.forWorker(AUTO, true, LOADER).transport());
    }
}
