package dev.rpcparallel.launcher.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplicationTlsTest {
    private static final RpcSettings DEFAULTS = RpcSettings.defaults();

    @AfterEach
    void clearTheProperty() {
        System.clearProperty(ApplicationTls.OFF_PROPERTY);
    }

    @Test
    void aMasterWhoseConnectionsMayCrossHostsGeneratesAKeyThatItsWorkersReadBack() {
        ApplicationTls master = ApplicationTls.ofMaster(DEFAULTS, true);
        assertThat(master.isOn()).isTrue();
        ApplicationTls worker = ApplicationTls.ofWorker(master.encodedKey());
        assertThat(worker.isOn()).isTrue();
        assertThat(worker.context()).isNotNull().isSameAs(worker.context());
        assertThat(ApplicationKey.decode(worker.encodedKey()).certificate())
                .isEqualTo(ApplicationKey.decode(master.encodedKey()).certificate());
    }

    @Test
    void eachMasterGeneratesItsOwnKey() {
        assertThat(ApplicationTls.ofMaster(DEFAULTS, true).encodedKey())
                .isNotEqualTo(ApplicationTls.ofMaster(DEFAULTS, true).encodedKey());
    }

    @Test
    void aMasterWhoseWorkersStayOnThisHostHasNone() {
        ApplicationTls tls = ApplicationTls.ofMaster(DEFAULTS, false);
        assertThat(tls.isOn()).isFalse();
        assertThat(tls.encodedKey()).isNull();
        assertThatThrownBy(tls::context).isInstanceOf(IllegalStateException.class);
        assertThat(ApplicationTls.ofWorker(null).isOn()).isFalse();
    }

    @Test
    void theUsersTlsSettingsWin() {
        RpcSettings users = DEFAULTS.withTls(new TlsSettings("/k.p12", "a", "/t.p12", "b"));
        assertThat(ApplicationTls.ofMaster(users, true).isOn()).isFalse();
    }

    @Test
    void turnedOffThereIsNoKey() {
        System.setProperty(ApplicationTls.OFF_PROPERTY, "OFF");
        assertThat(ApplicationTls.isTurnedOff()).isTrue();
        assertThat(ApplicationTls.ofMaster(DEFAULTS, true).isOn()).isFalse();
        System.setProperty(ApplicationTls.OFF_PROPERTY, "on");
        assertThat(ApplicationTls.ofMaster(DEFAULTS, true).isOn()).isTrue();
    }

    @Test
    void anUnknownValueOfTheSettingIsAnErrorThatNamesTheValuesItTakes() {
        System.setProperty(ApplicationTls.OFF_PROPERTY, "no");
        assertThatThrownBy(() -> ApplicationTls.ofMaster(DEFAULTS, true))
                .isInstanceOf(RpcParallelException.class)
                .hasMessage("-Drpcparallel.tls=no is not a TLS setting: use -Drpcparallel.tls=off to turn the"
                        + " generated TLS between hosts off (trusted networks only), or on (the default)");
    }
}
