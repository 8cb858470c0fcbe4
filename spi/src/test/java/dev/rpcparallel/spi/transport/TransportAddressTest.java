package dev.rpcparallel.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransportAddressTest {

    @ParameterizedTest
    @CsvSource({
        "thrift://127.0.0.1:41234, thrift, 127.0.0.1:41234",
        "thrift://[::1]:41234, thrift, [::1]:41234",
        "unix:///run/app/worker-1.sock, unix, /run/app/worker-1.sock",
        "local://listener-7, local, listener-7",
        "a+b-c.d://x, a+b-c.d, x",
    })
    void parsesAndWritesBackTheSameText(String text, String scheme, String location) {
        TransportAddress address = TransportAddress.parse(text);
        assertThat(address.scheme()).isEqualTo(scheme);
        assertThat(address.location()).isEqualTo(location);
        assertThat(address.toString()).isEqualTo(text);
        assertThat(new TransportAddress(scheme, location)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:41234", "://x", "thrift://", "Thrift://x", "1thrift://x", "thr ift://x",
        "thrift:/x", ""})
    void refusesWhatIsNotSchemeSlashSlashLocation(String text) {
        assertThatThrownBy(() -> TransportAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a transport address")
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"thrift", "local"})
    void requireSchemeNamesTheTransportAndTheAddress(String transport) {
        TransportAddress unix = TransportAddress.parse("unix:///tmp/s.sock");
        assertThatThrownBy(() -> unix.requireScheme(transport))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a " + transport + " address: unix:///tmp/s.sock");
        assertThat(unix.requireScheme("unix")).isSameAs(unix);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, ''", "0.0.0.0, worker-7.example.com"})
    void listenOptionsKeepTheHosts(String host, String advertised) {
        ListenOptions options = new ListenOptions(host, advertised);
        assertThat(options.host()).isEqualTo(host);
        assertThat(options.advertisedHost()).isEqualTo(advertised);
        assertThat(ListenOptions.on(host)).isEqualTo(new ListenOptions(host, ""));
    }
}
