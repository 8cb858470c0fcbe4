package dev.rpcparallel.launcher.context;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcParallelException;
import org.junit.jupiter.api.Test;

/** A transport asked for by a name nobody provides: the message lists what there is and every way to choose. */
class TransportsTest {
    @Test
    void anUnknownTransportNamesTheTransportsFoundAndEveryWayToChooseAnother() {
        assertThatThrownBy(() -> Transports.find("udp", TransportsTest.class.getClassLoader()))
                .isExactlyInstanceOf(RpcParallelException.class)
                .hasMessageStartingWith("No transport named 'udp' was found; the transports on the class path are [")
                .hasMessageContaining("thrift", "unix", "local")
                .hasMessageEndingWith(". Add the transport's jar, or choose another with RpcSettings.withTransport,"
                        + " RPC_PARALLEL_SETTINGS=transport=NAME or -Drpcparallel.transport=NAME.");
    }
}
