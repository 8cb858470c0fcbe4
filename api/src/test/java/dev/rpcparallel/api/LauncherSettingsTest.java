package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The launcher of spawns: per spawn ({@link SpawnOptions#launcher()}) and the master's default ({@link RpcSettings#launcher()}). */
class LauncherSettingsTest {

    @Test
    void aSpawnNamesItsLauncherAsAUriEvenWithSpaces() {
        assertThat(SpawnOptions.defaults().launcher()).isEmpty();
        SpawnOptions options = SpawnOptions.builder().launcher("wrap:nice -n 5").build();
        assertThat(options.launcher()).map(URI::getScheme).contains("wrap");
        assertThat(options.launcher()).map(URI::getSchemeSpecificPart).contains("nice -n 5");
        assertThat(options.toBuilder().build().launcher()).isEqualTo(options.launcher());
        assertThat(SpawnOptions.builder().launcher("ssh://alice@h1:2222?java=/opt/jdk/bin/java").build().launcher())
                .map(URI::getHost).contains("h1");
        assertThat(SpawnOptions.builder().launcher("local:").build().launcher()).map(URI::getScheme).contains("local");
    }

    @Test
    void aLauncherWithoutSchemeIsRefusedWithTheForms() {
        assertThatThrownBy(() -> SpawnOptions.builder().launcher("h1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("launcher 'h1' has no scheme: write local:, wrap:COMMAND or ssh://host");
    }

    @Test
    void theMastersDefaultComesFromTheSettingsTheEnvironmentOrTheSystemProperty() {
        assertThat(RpcSettings.defaults().launcher()).isEmpty();
        assertThat(RpcSettings.defaults().withLauncher("ssh://h1;ssh://h2").launcher()).isEqualTo("ssh://h1;ssh://h2");
        assertThat(RpcSettings.defaults().withOverrides("launcher=ssh://h1").launcher()).isEqualTo("ssh://h1");
        assertThat(RpcSettings.defaults().withLauncher("ssh://h1").toString()).endsWith(",launcher=ssh://h1");
        assertThatThrownBy(() -> RpcSettings.defaults().withOverrides("launcher=h1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("launcher 'h1' is not a launcher URI");
        System.setProperty(RpcSettings.LAUNCHER_PROPERTY, "wrap:nice");
        try {
            assertThat(RpcSettings.defaults().launcher()).isEqualTo("wrap:nice");
        } finally {
            System.clearProperty(RpcSettings.LAUNCHER_PROPERTY);
        }
    }
}
