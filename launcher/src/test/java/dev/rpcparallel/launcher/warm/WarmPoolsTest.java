package dev.rpcparallel.launcher.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Which launcher targets share a warm pool. */
class WarmPoolsTest {

    @Test
    void localInEitherSpellingIsOnePool() {
        assertThat(WarmPools.keyOf(URI.create("local:/"))).isEqualTo(WarmPools.keyOf(URI.create("LOCAL:/")))
                .isEqualTo("local:");
    }

    @Test
    void eachTargetAsWrittenIsAPoolOfItsOwn() {
        assertThat(WarmPools.keyOf(URI.create("ssh://h1"))).isNotEqualTo(WarmPools.keyOf(URI.create("ssh://h2")))
                .isNotEqualTo(WarmPools.keyOf(URI.create("ssh://h1?cache=/scratch/c")))
                .isNotEqualTo(WarmPools.keyOf(URI.create("local:/")));
        assertThat(WarmPools.keyOf(URI.create("slurm://batch?cpus=4"))).isEqualTo("slurm://batch?cpus=4");
    }
}
