package dev.rpcparallel.launcher.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.launch.slurm.SlurmLauncher;
import dev.rpcparallel.launch.ssh.SshLauncher;
import dev.rpcparallel.launcher.fork.LocalLauncher;
import dev.rpcparallel.launcher.fork.WorkerLaunch;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What a worker on another host is told of its master's address, or why it cannot be started. */
class MasterAddressForRemoteTest {
    private static final RpcSettings LOOPBACK = RpcSettings.defaults();

    private static WorkerLaunch ssh(String target) {
        return new WorkerLaunch(new SshLauncher(), URI.create(target));
    }

    @Test
    void aLocalWorkerGetsTheAddressAsItIs() {
        WorkerLaunch local = new WorkerLaunch(new LocalLauncher(), WorkerLaunch.LOCAL);
        assertThat(MasterAddressForRemote.of("unix:///run/m.sock", local, LOOPBACK, "w")).isEqualTo("unix:///run/m.sock");
    }

    @Test
    void aMasterOnTheInProcessTransportRefusesEverySpawnedWorkerWithTheFix() {
        WorkerLaunch local = new WorkerLaunch(new LocalLauncher(), WorkerLaunch.LOCAL);
        for (WorkerLaunch launch : new WorkerLaunch[] {local, ssh("ssh://h1.example")}) {
            assertThatThrownBy(() -> MasterAddressForRemote.of("local://listener-1", launch, LOOPBACK, "w"))
                    .isInstanceOf(SpawnException.class)
                    .hasMessage("Cannot start worker 'w': the master listens on local://listener-1, an address of the"
                            + " local transport, which only threads of this JVM reach (workers served with"
                            + " Parallel.serve), never a spawned worker's process. Fix: leave the transport to auto,"
                            + " the default (unix on this host, thrift across hosts), or choose unix or thrift"
                            + " (RpcSettings.withTransport, RPC_PARALLEL_SETTINGS=transport=..., or"
                            + " -Drpcparallel.transport=...)");
        }
    }

    @Test
    void aMasterOnLoopbackRefusesAWorkerOnAnotherHostWithTheFix() {
        assertThatThrownBy(() -> MasterAddressForRemote.of("thrift://127.0.0.1:4711", ssh("ssh://h1.example"),
                LOOPBACK, "w"))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Cannot start worker 'w' with launcher ssh://h1.example: the master listens on"
                        + " thrift://127.0.0.1:4711 (bindHost=127.0.0.1), which another host cannot reach. Fix: make"
                        + " ssh://h1.example the master's default launcher before it starts");
    }

    @Test
    void aMasterOnLoopbackServesAnSshTargetOnLoopback() {
        assertThat(MasterAddressForRemote.of("thrift://127.0.0.1:4711", ssh("ssh://localhost:2222"), LOOPBACK, "w"))
                .isEqualTo("thrift://127.0.0.1:4711");
    }

    @Test
    void aMasterOnEveryInterfaceTellsTheAddressOnTheRouteToTheTarget() {
        RpcSettings wildcard = LOOPBACK.withBindHost("0.0.0.0");
        assertThat(MasterAddressForRemote.of("thrift://some-name:4711", ssh("ssh://127.0.0.1"), wildcard, "w"))
                .isEqualTo("thrift://127.0.0.1:4711");
        String unresolvable = MasterAddressForRemote.of("thrift://some-name:4711", ssh("ssh://alias-only-ssh-knows"),
                wildcard, "w");
        assertThat(unresolvable).startsWith("thrift://").endsWith(":4711").doesNotContain("127.", "some-name");
    }

    @Test
    void aSlurmPartitionIsNotAHostEvenWhenItsNameResolvesToLoopback() {
        // A partition named "localhost" runs its jobs on the cluster's nodes, not on this host's loopback.
        WorkerLaunch slurm = new WorkerLaunch(new SlurmLauncher(), URI.create("slurm://localhost?cpus=1"));
        assertThatThrownBy(() -> MasterAddressForRemote.of("thrift://127.0.0.1:4711", slurm, LOOPBACK, "w"))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Cannot start worker 'w' with launcher slurm://localhost?cpus=1: the master listens"
                        + " on thrift://127.0.0.1:4711 (bindHost=127.0.0.1), which another host cannot reach.");
        String told = MasterAddressForRemote.of("thrift://0.0.0.0:4711", slurm, LOOPBACK.withBindHost("0.0.0.0"), "w");
        assertThat(told).startsWith("thrift://").endsWith(":4711").doesNotContain("127.", "0.0.0.0");
    }

    @Test
    void anAdvertisedHostIsTheUsersWord() {
        assertThat(MasterAddressForRemote.of("thrift://master.example:4711", ssh("ssh://h1.example"),
                LOOPBACK.withBindHost("0.0.0.0").withAdvertisedHost("master.example"), "w"))
                .isEqualTo("thrift://master.example:4711");
    }

    @Test
    void aMasterOnAHostOnlyTransportRefusesAWorkerOnAnotherHostWithTheFix() {
        assertThatThrownBy(() -> MasterAddressForRemote.of("unix:///run/m.sock", ssh("ssh://h1.example"), LOOPBACK, "w"))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("the master listens on unix:///run/m.sock, which a worker on another host cannot"
                        + " reach. Fix: use the thrift transport in the master");
    }
}
