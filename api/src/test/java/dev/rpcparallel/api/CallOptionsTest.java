package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Call options and the settings' default call timeout: values, overrides and refusals. */
class CallOptionsTest {

    @Test
    void optionsSayWhatTheyAre() {
        assertThat(CallOptions.defaults().callTimeout()).isEmpty();
        assertThat(CallOptions.defaults().ignoresDefaultTimeout()).isFalse();
        assertThat(CallOptions.timeout(Duration.ofMillis(250)).callTimeout()).contains(Duration.ofMillis(250));
        assertThat(CallOptions.noTimeout().ignoresDefaultTimeout()).isTrue();
        assertThat(CallOptions.noTimeout().callTimeout()).isEmpty();
        assertThat(CallOptions.timeout(Duration.ofSeconds(1))).isEqualTo(CallOptions.timeout(Duration.ofMillis(1000)));
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> CallOptions.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a call's timeout must be positive, not PT0S");
        assertThatThrownBy(() -> CallOptions.timeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a call's timeout must be positive, not PT-0.005S");
    }

    @Test
    void theDefaultCallTimeoutIsNoneUnlessSetAndSurvivesOtherChanges() {
        assertThat(RpcSettings.defaults().defaultCallTimeout()).isNull();
        RpcSettings settings = RpcSettings.defaults().withDefaultCallTimeout(Duration.ofSeconds(3))
                .withMaxMessageSize(4096).withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(settings.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.toString()).contains(",defaultCallTimeout=3000ms,");
    }

    @Test
    void theEnvironmentSetsOrClearsTheDefaultCallTimeout() {
        RpcSettings set = RpcSettings.defaults().withOverrides("defaultCallTimeout=750ms");
        assertThat(set.defaultCallTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(set.withOverrides("defaultCallTimeout=none").defaultCallTimeout()).isNull();
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("defaultCallTimeout=soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RPC_PARALLEL_SETTINGS: cannot apply 'defaultCallTimeout=soon': 'soon' is not a duration:"
                        + " write 500ms, 10s or 2m");
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("defaultCallTimeout=0ms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defaultCallTimeout must be at least 1 ms");
    }
}
