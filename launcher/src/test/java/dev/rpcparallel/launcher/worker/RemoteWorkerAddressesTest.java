package dev.rpcparallel.launcher.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import org.junit.jupiter.api.Test;

class RemoteWorkerAddressesTest {

    private static WorkerBootstrap bootstrap(long masterPid, RpcSettings settings) {
        return new WorkerBootstrap(new WorkerBootstrap.Assignment("id", "w", "echo", new byte[0], "HEARTBEAT_TIMEOUT", 1000),
                new WorkerBootstrap.Master("m", "thrift://10.0.0.9:4711", masterPid, new byte[32], null, "fp", "types"),
                settings, false);
    }

    @Test
    void aLocalWorkersBootstrapIsLeftAlone() {
        WorkerBootstrap local = bootstrap(1234, RpcSettings.defaults());
        assertThat(RemoteWorkerAddresses.adapt(local, "127.0.0.1 5000 127.0.0.1 22")).isSameAs(local);
    }

    @Test
    void aRemoteWorkerReachesTheMasterWhereItsSshSessionCameFromAndBindsItsOwnAddressOverTcp() {
        WorkerBootstrap remote = RemoteWorkerAddresses.adapt(
                bootstrap(WorkerBootstrap.Master.ON_ANOTHER_HOST, RpcSettings.defaults().withTransport("unix")),
                "127.0.0.1 50000 127.0.0.1 22");
        assertThat(remote.master().address()).isEqualTo("thrift://127.0.0.1:4711");
        assertThat(remote.settings().transport()).isEqualTo("thrift");
        // The source address of the route to the master: loopback only because the master is on loopback here.
        assertThat(remote.settings().bindHost()).isEqualTo("127.0.0.1");
        assertThat(remote.settings().advertisedHost()).isEmpty();
    }

    @Test
    void anAdvertisedHostOfTheMasterWinsOverTheSshSession() {
        WorkerBootstrap remote = RemoteWorkerAddresses.adapt(bootstrap(WorkerBootstrap.Master.ON_ANOTHER_HOST,
                RpcSettings.defaults().withAdvertisedHost("10.0.0.9")), "127.0.0.1 50000 127.0.0.1 22");
        assertThat(remote.master().address()).isEqualTo("thrift://10.0.0.9:4711");
        assertThat(remote.settings().bindHost()).isNotEqualTo("127.0.0.1").isNotEqualTo("0.0.0.0");
    }

    @Test
    void sshConnectionsFirstFieldIsTheClient() {
        assertThat(RemoteWorkerAddresses.sshClient("10.79.0.1 41234 10.79.0.11 22")).contains("10.79.0.1");
        assertThat(RemoteWorkerAddresses.sshClient(null)).isEmpty();
        assertThat(RemoteWorkerAddresses.sshClient("garbage")).isEmpty();
    }
}
