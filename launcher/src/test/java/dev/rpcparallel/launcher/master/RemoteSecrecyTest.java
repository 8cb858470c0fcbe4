package dev.rpcparallel.launcher.master;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.TlsSettings;
import dev.rpcparallel.launch.ssh.SshLauncher;
import dev.rpcparallel.launcher.fork.LocalLauncher;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import dev.rpcparallel.launcher.tls.ApplicationTls;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteSecrecyTest {
    private static final RpcSettings PLAIN_MASTER = RpcSettings.defaults();
    private static final WorkerLaunch ELSEWHERE = new WorkerLaunch(new SshLauncher(), URI.create("ssh://build-7.invalid"));

    @AfterEach
    void clearTheProperty() {
        System.clearProperty(ApplicationTls.OFF_PROPERTY);
    }

    @Test
    void aMasterWithoutTlsIsRefusedAWorkerOnAnotherHostWithTheFix() {
        assertThatThrownBy(() -> new RemoteSecrecy().require(ELSEWHERE, PLAIN_MASTER, false, "w1"))
                .isInstanceOf(SpawnException.class)
                .hasMessageStartingWith("Cannot start worker 'w1' with launcher ssh://build-7.invalid: its connections"
                        + " would cross hosts in plain TCP, since this master has no TLS")
                .hasMessageContaining("its default launcher is local:")
                .hasMessageContaining("Fix: make ssh://build-7.invalid the master's default launcher before it starts")
                .hasMessageContaining("or set RpcSettings.tls")
                .hasMessageContaining("turn TLS off with -Drpcparallel.tls=off");
    }

    @Test
    void theGeneratedKeyOrTheUsersTlsLetItStart() {
        assertThatCode(() -> new RemoteSecrecy().require(ELSEWHERE, PLAIN_MASTER, true, "w2")).doesNotThrowAnyException();
        RpcSettings users = PLAIN_MASTER.withTls(new TlsSettings("/k.p12", "a", "/t.p12", "b"));
        assertThatCode(() -> new RemoteSecrecy().require(ELSEWHERE, users, false, "w3")).doesNotThrowAnyException();
    }

    @Test
    void workersOnThisHostOrOnLoopbackNeedNoTls() {
        WorkerLaunch local = new WorkerLaunch(new LocalLauncher(), WorkerLaunch.LOCAL);
        assertThatCode(() -> new RemoteSecrecy().require(local, PLAIN_MASTER, false, "w4")).doesNotThrowAnyException();
        WorkerLaunch loopback = new WorkerLaunch(new SshLauncher(), URI.create("ssh://localhost"));
        assertThatCode(() -> new RemoteSecrecy().require(loopback, PLAIN_MASTER, false, "w5")).doesNotThrowAnyException();
    }

    @Test
    void turnedOffTheSpawnGoesOnInPlainTcp() {
        System.setProperty(ApplicationTls.OFF_PROPERTY, "off");
        assertThatCode(() -> new RemoteSecrecy().require(ELSEWHERE, PLAIN_MASTER, false, "w6")).doesNotThrowAnyException();
    }
}
