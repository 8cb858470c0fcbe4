package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RPC_PARALLEL_SETTINGS values: sizes with suffixes, and a bad value named with the fix. */
class RpcSettingsOverridesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1048576, 1048576", "1024k, 1048576", "1m, 1048576", "1M, 1048576", "2g, -1"})
    void maxMessageSizeTakesBytesOrABinarySuffix(String value, int expected) {
        if (expected < 0) {
            assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("maxMessageSize=" + value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("RPC_PARALLEL_SETTINGS: cannot apply 'maxMessageSize=2g': '2g' is too large:"
                            + " the largest size is 2147483647 bytes (2g - 1)");
            return;
        }
        assertThat(RpcSettings.defaults().withOverrides("maxMessageSize=" + value).maxMessageSize()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "maxMessageSize=1kb | RPC_PARALLEL_SETTINGS: cannot apply 'maxMessageSize=1kb': '1kb' is not a size in bytes:"
                + " write 1048576, 1024k or 1m",
        "maxMessageSize=lots | RPC_PARALLEL_SETTINGS: cannot apply 'maxMessageSize=lots': 'lots' is not a size in bytes:"
                + " write 1048576, 1024k or 1m",
        "maxMessageSize=99999999999999999999 | RPC_PARALLEL_SETTINGS: cannot apply 'maxMessageSize=99999999999999999999':"
                + " '99999999999999999999' is too large: the largest size is 2147483647 bytes (2g - 1)",
        "maxMessageSize=9999999999999g | RPC_PARALLEL_SETTINGS: cannot apply 'maxMessageSize=9999999999999g':"
                + " '9999999999999g' is too large: the largest size is 2147483647 bytes (2g - 1)",
        "connectTimeout=5 | RPC_PARALLEL_SETTINGS: cannot apply 'connectTimeout=5': '5' is not a duration:"
                + " write 500ms, 10s or 2m",
        "callThreads=many | RPC_PARALLEL_SETTINGS: cannot apply 'callThreads=many': 'many' is not a whole number:"
                + " write 0 (automatic) or a count such as 32",
        "'heartbeatInterval=10s,heartbeatTimeout=5s' | RPC_PARALLEL_SETTINGS: cannot apply"
                + " 'heartbeatInterval=10s,heartbeatTimeout=5s': heartbeatTimeout (5000 ms) must be longer than"
                + " heartbeatInterval (10000 ms): raise heartbeatTimeout or lower heartbeatInterval",
        "heartbeatTimeout=500ms | RPC_PARALLEL_SETTINGS: cannot apply 'heartbeatTimeout=500ms': heartbeatTimeout"
                + " (500 ms) must be longer than heartbeatInterval (1000 ms): raise heartbeatTimeout or lower"
                + " heartbeatInterval",
    })
    void aBadValueNamesTheEntryAndTheAcceptedForms(String overrides, String message) {
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides(overrides))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("For input string"));
    }

    @Test
    void aListThatIsNotNameEqualsValueNamesTheEntry() {
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("connectTimeout=5s, maxMessageSize"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RPC_PARALLEL_SETTINGS='connectTimeout=5s, maxMessageSize' is not a comma-separated list"
                        + " of name=value: 'maxMessageSize' is not name=value");
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("connectTimeout=5s,connectTimeout=6s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RPC_PARALLEL_SETTINGS='connectTimeout=5s,connectTimeout=6s' is not a comma-separated list"
                        + " of name=value: 'connectTimeout' is given twice");
        assertThat(RpcSettings.defaults().withOverrides(" , connectTimeout = 5s ,, ").connectTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(5));
    }
}
