package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.server.WorkerEndpoint;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The first call of a typed function, run by a worker against a server of its own that serves a
 * worker type of the runtime's ({@link #TYPE}, in no listing), so that a worker's path to its
 * first answer is run without running code of a plugin: the worker's endpoint binding the call,
 * its call context, the argument decoded and the {@code byte[]} result sent as the binary codec
 * sends it. {@link IdleWarmUp} runs a connection and calls by wire id through an endpoint that
 * serves bytes as they are; this runs what a worker type's endpoint adds to that. The archive
 * maker runs it so that the class-data archive holds those classes and lambdas.
 */
public final class TypedCallWarmUp {
    /** The runtime's own worker type: one function, {@link #ECHO}. */
    static final WorkerType<Void, Void> TYPE = WorkerType.of("rpc-parallel-typed-warm-up", Codecs.none(),
            Codecs.none());
    /** Answers its argument: a typed call whose result is a {@code byte[]}, as a small first call's often is. */
    static final RpcFunction<byte[], byte[]> ECHO = RpcFunction.of("echo", Codecs.bytes(), Codecs.bytes());
    private static final int ARGUMENT_BYTES = 32;

    private TypedCallWarmUp() {}

    /**
     * Serves {@link #TYPE} on a server started and closed here, connects to it and calls
     * {@link #ECHO} once through the typed client path; then runs {@code onTheLink} with the
     * connection, still open.
     *
     * @param id names the server
     * @throws IOException if the server cannot listen
     * @throws RuntimeException if the connection or the call fails, or the answer differs
     */
    public static void run(SessionContext session, ExecutorService executor, ScheduledExecutorService timer,
            String id, Consumer<ClientConnection> onTheLink) throws IOException {
        RegisteredType type = RegisteredType.unlisted(new Echo());
        String name = id + "-typed-warm-up";
        WorkerEndpoint endpoint = new WorkerEndpoint(type, null, name, name, () -> { });
        byte[] argument = new byte[ARGUMENT_BYTES];
        Arrays.fill(argument, (byte) 7);
        try (RpcServer server = new RpcServer(session, endpoint, executor, timer)) {
            WorkerRef self = endpoint.publishAt(server.address());
            try (ClientConnection connection = ClientConnection.open(session, self, TYPE.connectionArgCodec()
                    .encode(null), FunctionIds.of(type))) {
                byte[] answer = connection.call(ECHO, argument);
                if (!Arrays.equals(answer, argument)) {
                    throw new IllegalStateException("the typed warm-up call answered " + answer.length
                            + " other bytes");
                }
                onTheLink.accept(connection);
            }
        }
    }

    /** The implementation of {@link #TYPE}: the runtime's code, not a plugin's. */
    private static final class Echo implements WorkerPlugin<Void, Void, Void, Void> {
        @Override
        public WorkerType<Void, Void> type() {
            return TYPE;
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {
            functions.rpc(ECHO, (call, payload) -> payload);
        }
    }
}
