package dev.rpcparallel.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.server.TestDesk;
import dev.rpcparallel.transport.thrift.ThriftTransport;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's link to its master names the master in its errors, not a "worker 'master'": what
 * a worker prints when it cannot reach or loses its master is read by the user of the spawn.
 */
class MasterLinkErrorsTest {
    private final SessionContext context = new SessionContext(new ThriftTransport(), RpcSettings.defaults(),
            new byte[32], "plugins", "");
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aMasterThatCannotBeReachedIsNamedAsTheMaster() throws Exception {
        WorkerRef gone;
        try (RpcServer server = new RpcServer(context, new TestDesk(new byte[0]), executor, timer)) {
            gone = master(server);
        }
        assertThatThrownBy(() -> ClientConnection.openControl(context, gone, ServerRole.MASTER))
                .isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("Cannot connect to its master at " + gone.address() + ": ");
    }

    @Test
    void aLinkTheMasterClosedSaysTheMasterClosedIt() throws Exception {
        RpcServer server = new RpcServer(context, new TestDesk(new byte[0]), executor, timer);
        WorkerRef master = master(server);
        try (ClientConnection link = ClientConnection.openControl(context, master, ServerRole.MASTER)) {
            assertThat(link.callRaw(BuiltinFunctions.HEARTBEAT, new byte[0], "built-in 'heartbeat'")
                    .get(30, TimeUnit.SECONDS)).isEmpty();
            server.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !link.isOpen());

            assertThatThrownBy(() -> ClientConnection.await(link.callRaw(BuiltinFunctions.HEARTBEAT, new byte[0],
                    "built-in 'heartbeat'")))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessage("Call of built-in 'heartbeat' on its master (" + master.address()
                            + ") failed: the connection to it was lost (the master closed it)");
        }
    }

    private static WorkerRef master(RpcServer server) {
        return new WorkerRef("master", TestDesk.ID, "master", server.address());
    }
}
