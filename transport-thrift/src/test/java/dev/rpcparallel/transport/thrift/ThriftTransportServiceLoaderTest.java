package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.transport.Transport;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ThriftTransportServiceLoaderTest {

    @Test
    void theTransportIsFoundByName() {
        Transport found = ServiceLoader.load(Transport.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(transport -> transport.name().equals("thrift"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no transport named thrift on the class path"));
        assertThat(found).isInstanceOf(ThriftTransport.class);
        assertThat(found.isAvailable()).isTrue();
        assertThat(found.unavailabilityCause()).isNull();
    }
}
