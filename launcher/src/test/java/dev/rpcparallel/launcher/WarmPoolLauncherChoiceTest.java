package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import org.junit.jupiter.api.Test;

/** A warm pool belongs to one launcher: without one named, several default launchers are ambiguous. */
class WarmPoolLauncherChoiceTest {

    @Test
    void keepWarmWithoutALauncherOnAMasterWithSeveralDefaultsSaysToNameOne() {
        LauncherRuntime runtime = new LauncherRuntime();
        runtime.initMaster(RpcSettings.defaults().withLauncher("ssh://h1;ssh://h2"));
        try {
            assertThatThrownBy(() -> runtime.keepWarm(2, SpawnOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("keepWarm(2) names no launcher, and the master has several default launchers"
                            + " (ssh://h1;ssh://h2); a warm pool belongs to one launcher. Fix: call keepWarm once per"
                            + " launcher, with SpawnOptions.builder().launcher(\"...\")");
        } finally {
            runtime.shutdownAll();
        }
    }

    @Test
    void keepWarmOnAnotherHostOfAMasterOnlyThisHostReachesFailsAtOnceWithTheFix() {
        LauncherRuntime runtime = new LauncherRuntime();
        runtime.initMaster(RpcSettings.defaults());
        try {
            assertThatThrownBy(() -> runtime.keepWarm(1, SpawnOptions.builder().launcher("ssh://pool-host.invalid")
                    .build()))
                    .isInstanceOf(SpawnException.class)
                    .hasMessageStartingWith("Cannot start worker 'warm-pool' with launcher ssh://pool-host.invalid:"
                            + " the master listens on ")
                    .hasMessageContaining("Fix: ");
        } finally {
            runtime.shutdownAll();
        }
    }
}
