package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The settings of receiving and running calls: defaults, overrides and refusals. */
class RpcSettingsCallLimitsTest {

    @Test
    void bothAreAutomaticByDefaultAndCanBeOverridden() {
        RpcSettings defaults = RpcSettings.defaults();
        assertThat(defaults.receiveBudget()).isEqualTo(RpcSettings.AUTOMATIC);
        assertThat(defaults.callThreads()).isEqualTo(RpcSettings.AUTOMATIC);
        RpcSettings set = defaults.withOverrides("receiveBudget=67108864, callThreads=32");
        assertThat(set.receiveBudget()).isEqualTo(64L * 1024 * 1024);
        assertThat(set.callThreads()).isEqualTo(32);
        assertThat(set.toString()).endsWith(",receiveBudget=67108864,callThreads=32");
        assertThat(defaults.withReceiveBudget(8L << 20).withCallThreads(4))
                .isEqualTo(defaults.withOverrides("receiveBudget=8388608,callThreads=4"));
    }

    @Test
    void aBudgetSmallerThanAFrameOrNegativeThreadsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("receiveBudget=1000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RPC_PARALLEL_SETTINGS: cannot apply 'receiveBudget=1000': receiveBudget must be 0"
                        + " (automatic) or at least 1048576 bytes: 1000");
        assertThatThrownBy(() -> RpcSettings.defaults().withCallThreads(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callThreads must be 0 (automatic) or positive: -1");
    }
}
