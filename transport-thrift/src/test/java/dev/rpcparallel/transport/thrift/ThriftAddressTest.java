package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThriftAddressTest {

    @ParameterizedTest
    @CsvSource({
        "thrift://127.0.0.1:41234, 127.0.0.1, 41234",
        "thrift://localhost:1, localhost, 1",
        "thrift://[::1]:65535, ::1, 65535",
        "thrift://[fe80::1%lo]:9000, fe80::1%lo, 9000",
        "thrift://worker-7.example.com:8080, worker-7.example.com, 8080",
    })
    void parses(String address, String host, int port) {
        ThriftAddress parsed = ThriftAddress.parse(address);
        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.port()).isEqualTo(port);
        assertThat(parsed.toString()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1:41234",
        "http://127.0.0.1:41234",
        "THRIFT://127.0.0.1:41234",
        "thrift://127.0.0.1",
        "thrift://:41234",
        "thrift://127.0.0.1:",
        "thrift://127.0.0.1:0",
        "thrift://127.0.0.1:65536",
        "thrift://127.0.0.1:-1",
        "thrift://127.0.0.1:port",
        "thrift://127.0.0.1:41234/",
        "thrift://::1:41234",
        "thrift://[::1]41234",
        "thrift://[::1:41234",
        "thrift://[]:41234",
    })
    void refusesWhatIsNotAThriftAddress(String address) {
        assertThatThrownBy(() -> ThriftAddress.parse(address)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 1, 127.0.0.1:1", "0:0:0:0:0:0:0:1, 2, [0:0:0:0:0:0:0:1]:2"})
    void formats(String host, int port, String formatted) {
        assertThat(ThriftAddress.format(host, port)).isEqualTo(formatted);
    }
}
