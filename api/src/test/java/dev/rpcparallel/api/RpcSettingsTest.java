package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RpcSettingsTest {

    @Test
    void streamBoundsDefaultToAFewMebibytes() {
        RpcSettings defaults = RpcSettings.defaults();
        assertThat(defaults.streamWindowBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(defaults.directPipeQueueBytes()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void streamBoundsAreReadFromTheEnvironmentWithOrWithoutAUnit() {
        RpcSettings settings = RpcSettings.defaults()
                .withOverrides("streamWindowBytes=2MiB, directPipeQueueBytes=65536, heartbeatInterval=500ms");
        assertThat(settings.streamWindowBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(settings.directPipeQueueBytes()).isEqualTo(65536);
        assertThat(RpcSettings.defaults().withOverrides("streamWindowBytes=512k").streamWindowBytes()).isEqualTo(512 * 1024);
        assertThat(settings.toString()).contains("streamWindowBytes=2097152", "directPipeQueueBytes=65536");
    }

    @Test
    void aBadStreamBoundIsRefusedNamingTheEntryAndHowToWriteIt() {
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("streamWindowBytes=lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RPC_PARALLEL_SETTINGS: cannot apply 'streamWindowBytes=lots': 'lots' is not a size in"
                        + " bytes: write 1048576, 1024k or 1m");
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("directPipeQueueBytes=3GiB"))
                .hasMessageContaining("'3GiB' is too large: the largest size is 2147483647 bytes (2g - 1)");
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("directPipeQueueBytes=100"))
                .hasMessage("RPC_PARALLEL_SETTINGS: cannot apply 'directPipeQueueBytes=100': directPipeQueueBytes must"
                        + " be at least 1024 bytes: 100");
        assertThatThrownBy(() -> RpcSettings.defaults().withStreamWindowBytes(-1))
                .hasMessage("streamWindowBytes must be at least 1024 bytes: -1");
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("streamWindow=1"))
                .hasMessageContaining("unknown setting").hasMessageContaining("streamWindowBytes, directPipeQueueBytes");
    }
}
