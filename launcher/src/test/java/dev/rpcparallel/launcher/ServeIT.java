package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerTypeMismatchException;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.testplugins.Counter;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Workers served in this JVM: the same server and protocol as spawned ones, over loopback sockets. */
class ServeIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void servedWorkerAnswersCalls() {
        WorkerRef worker = Parallel.serve(Echo.TYPE, "served:");
        // The build runs this class on each transport (see the pom).
        String transport = System.getProperty("rpcparallel.test.expectedTransport", "unix");
        assertThat(worker.address()).startsWith(transport.equals("thrift") ? "thrift://127.0.0.1:" : transport + "://");
        try (Connection connection = Parallel.connect(worker, Echo.TYPE, "c")) {
            assertThat(connection.call(Echo.ECHO, "x")).isEqualTo("served:x");
            assertThat(connection.call(Echo.PID, null)).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void tenServersInOneProcessKeepTheirOwnState() {
        List<WorkerRef> workers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            workers.add(Parallel.serve(Echo.TYPE, "s" + i + ":"));
        }
        for (int i = 0; i < 10; i++) {
            try (Connection connection = Parallel.connect(workers.get(i), Echo.TYPE, "c")) {
                assertThat(connection.call(Echo.ECHO, "")).isEqualTo("s" + i + ":");
                assertThat(connection.call(Echo.INCREMENT, (long) i)).isEqualTo(i);
            }
        }
        workers.forEach(Parallel::shutdown);
    }

    @Test
    void twoConnectionsShareWorkerState() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        try (Connection a = Parallel.connect(worker); Connection b = Parallel.connect(worker)) {
            assertThat(a.call(Counter.NEXT, null)).isEqualTo(1L);
            assertThat(b.call(Counter.NEXT, null)).isEqualTo(2L);
            assertThat(a.call(Counter.NEXT, null)).isEqualTo(3L);
        }
    }

    @Test
    void failingWorkerStateInitFailsServe() {
        assertThatThrownBy(() -> Parallel.serve(Echo.TYPE, "fail-init"))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("failed in its worker-state init")
                .cause().isInstanceOf(RemoteException.class);
    }

    @Test
    void shutdownStopsTheServer() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        Parallel.shutdown(worker);
        assertThatThrownBy(() -> Parallel.connect(worker)).isInstanceOf(ConnectionException.class);
    }

    @Test
    void controlConnectionCallsNoPluginFunctionAndRunsNoConnectionInit() {
        LauncherRuntime application = new LauncherRuntime();
        WorkerRef worker = application.serve(Echo.TYPE, "e:");
        try (ClientConnection control = ClientConnection.openControl(new SessionContext(application.context().transport(),
                application.settings(), application.context().secret(), application.registry().fingerprint(),
                application.registry().description()), worker)) {
            assertThatThrownBy(() -> ClientConnection.await(control.callRaw(1, Codecs.string().encode("x"), "echo")))
                    .hasMessageContaining("a control connection may call built-in functions only, not function #1");
        } finally {
            application.shutdownAll();
        }
    }

    @Test
    void callsAfterCloseFailClearly() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        Connection connection = Parallel.connect(worker);
        connection.close();
        assertThatThrownBy(() -> connection.call(Counter.NEXT, null))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("function 'next'")
                .hasMessageContaining(worker.name());
    }

    @Test
    void functionOfAnotherTypeIsRefusedBeforeSending() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        try (Connection connection = Parallel.connect(worker)) {
            assertThatThrownBy(() -> connection.call(Echo.ECHO, "x"))
                    .isInstanceOf(WorkerTypeMismatchException.class)
                    .hasMessageContaining("Worker type 'counter' has no function rpc echo(string) -> string");
        }
    }

    @Test
    void aFunctionDeclaredWithOtherCodecsIsRefusedBeforeSendingAndTheConnectionStaysUsable() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        RpcFunction<Void, String> nextAsText = RpcFunction.of("next", Codecs.none(), Codecs.string());
        try (Connection connection = Parallel.connect(worker)) {
            assertThatThrownBy(() -> connection.call(nextAsText, null))
                    .isInstanceOf(WorkerTypeMismatchException.class)
                    .hasMessageStartingWith("Worker type 'counter' has no function rpc next(void) -> string"
                            + " (its functions: [")
                    .hasMessageContaining("rpc next(void) -> i64");
            assertThat(connection.call(Counter.NEXT, null)).isNotNull();
        }
    }

    @Test
    void connectWithTheWrongTypeIsRefused() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        assertThatThrownBy(() -> Parallel.connect(worker, Echo.TYPE, "x"))
                .isInstanceOf(WorkerTypeMismatchException.class)
                .hasMessage("worker '" + worker.name() + "' is of type 'counter', not 'echo'");
    }

    @Test
    void anotherApplicationWithAnotherSecretCannotConnect() {
        LauncherRuntime otherApplication = new LauncherRuntime();
        WorkerRef foreign = otherApplication.serve(Counter.TYPE, null);
        try {
            assertThatThrownBy(() -> Parallel.connect(foreign))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("does not know the application's secret");
        } finally {
            otherApplication.shutdownAll();
        }
    }

    @Test
    void clientWithAnotherPluginSetIsRefusedWithBothRegistries() {
        LauncherRuntime application = new LauncherRuntime();
        WorkerRef worker = application.serve(Counter.TYPE, null);
        try {
            assertThatThrownBy(() -> ClientConnection.open(new SessionContext(application.context().transport(),
                            application.settings(), application.context().secret(), "0123456789abcdef",
                            "1 other init(void) connect(void)\n"), worker, Codecs.none().encode(null),
                            FunctionIds.of(application.registry().require(worker.workerType()))))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("the master and the worker were built from different plugin sets")
                    .hasMessageContaining("registry fingerprint 0123456789abcdef in the client")
                    .hasMessageContaining("1 other init(void)")
                    .hasMessageContaining(application.registry().require("counter").id() + " counter init(void)");
        } finally {
            application.shutdownAll();
        }
    }

    @Test
    void staleWorkerRefToAReusedAddressIsRefused() {
        WorkerRef worker = Parallel.serve(Counter.TYPE, null);
        WorkerRef stale = new WorkerRef(worker.workerType(), "some-other-id", "gone", worker.address());
        assertThatThrownBy(() -> Parallel.connect(stale))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("not the worker with id some-other-id");
    }
}
