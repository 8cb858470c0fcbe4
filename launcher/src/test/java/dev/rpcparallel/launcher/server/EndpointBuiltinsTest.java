package dev.rpcparallel.launcher.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.transport.local.LocalTransport;
import dev.rpcparallel.transport.thrift.ThriftTransport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An endpoint hears that a built-in was answered only once its caller can have the answer: a
 * master's registration desk lets a spawn return then, and a master that shuts down at once must
 * not cut off the answer its worker waits for. Over a channel whose reading thread runs the
 * built-in (TCP) and one that hands it to the executor (the in-process transport).
 */
class EndpointBuiltinsTest {
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.UTF_8);

    static Stream<Transport> transports() {
        return Stream.of(new ThriftTransport(), new LocalTransport());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void theEndpointHearsOfAnAnswerOnlyOnceItsCallerCanHaveIt(Transport transport) throws Exception {
        CountDownLatch callerHasIt = new CountDownLatch(1);
        CompletableFuture<Boolean> heardAfterTheCallerHadIt = new CompletableFuture<>();
        Endpoint desk = new TestDesk(PONG) {
            @Override
            public void builtinAnswered(int functionId, byte[] arg) {
                try {
                    // Heard before the answer left, this would hold it up until the wait ran out.
                    heardAfterTheCallerHadIt.complete(callerHasIt.await(10, TimeUnit.SECONDS)
                            && functionId == BuiltinFunctions.HEARTBEAT && new String(arg, StandardCharsets.UTF_8)
                                    .equals("ping"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    heardAfterTheCallerHadIt.complete(false);
                }
            }
        };
        SessionContext context = new SessionContext(transport, RpcSettings.defaults(), new byte[32], "plugins", "");
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (RpcServer server = new RpcServer(context, desk, executor, timer);
                ClientConnection link = ClientConnection.openControl(context,
                        new WorkerRef("master", desk.id(), "master", server.address()), ServerRole.MASTER)) {
            CompletableFuture<byte[]> answer = link.callRaw(BuiltinFunctions.HEARTBEAT,
                    "ping".getBytes(StandardCharsets.UTF_8), "built-in 'heartbeat'");
            answer.thenRun(callerHasIt::countDown);

            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(PONG);
            assertThat(heardAfterTheCallerHadIt.get(30, TimeUnit.SECONDS))
                    .as("the endpoint heard of the answer after its caller had it, with the built-in's id and argument")
                    .isTrue();
        } finally {
            executor.shutdownNow();
            timer.shutdownNow();
        }
    }
}
