package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.launcher.server.RpcServer;
import dev.rpcparallel.launcher.server.WorkerEndpoint;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The warm-up of an idle pooled worker: before it tells its master it is ready, it runs the
 * whole path of a connection and its first call, both ends, against a server of its own
 * ({@link WarmUpEndpoint}) on the same transport and settings as its real server: listen, accept,
 * handshake, a link parked and then opened with a connection argument (as the master's first
 * connect after the handover adopts its parked link), a function call dispatched through the
 * call slots and answered, a built-in call, the close; and it binds the functions of every
 * registered worker type into the methods its endpoint would serve ({@link #bindTypes}), which
 * runs no code of a plugin. Classes are then loaded, lambdas linked and the code partly compiled
 * for every worker type the worker may become, so that after its handover the spawn's endpoint,
 * the first connect and the first call pay for none of it. Only an optimisation: it never makes
 * the worker fail.
 */
public final class IdleWarmUp {
    /** The size of the warm-up call's argument: a small call, as a first call usually is. */
    private static final int ARGUMENT_BYTES = 32;

    private IdleWarmUp() {}

    /**
     * Builds, and drops, the endpoint of each of {@code types} as a handover builds the one of
     * its type: binding its functions to their implementations runs no code of the plugin, and
     * with no worker state nothing is initialised.
     */
    public static void bindTypes(List<RegisteredType> types, String poolId) {
        for (RegisteredType type : types) {
            new WorkerEndpoint(type, null, poolId, poolId, () -> { }).publishAt("");
        }
    }

    /**
     * Runs {@code rounds} connections, each with one call and one built-in call, against a
     * warm-up server started and closed here.
     *
     * @param poolId the idle worker's pool id (names the warm-up server)
     * @throws IOException if the warm-up server cannot listen
     * @throws RuntimeException if a connection or call of the warm-up fails
     */
    public static void run(SessionContext session, ExecutorService executor, ScheduledExecutorService timer,
            String poolId, int rounds) throws IOException {
        String id = poolId + "-warm-up";
        byte[] argument = new byte[ARGUMENT_BYTES];
        Arrays.fill(argument, (byte) 7);
        try (RpcServer server = new RpcServer(session, new WarmUpEndpoint(id), executor, timer)) {
            WorkerRef self = new WorkerRef("", id, id, server.address());
            for (int i = 0; i < rounds; i++) {
                try (ClientConnection link = ClientConnection.openDeferred(session, self)) {
                    if (!link.completeOpen(self, argument, FunctionIds.none(function ->
                            "the warm-up calls its function by id"))) {
                        throw new IllegalStateException("the warm-up link broke before it was opened");
                    }
                    byte[] answer = ClientConnection.await(link.callRaw(WarmUpEndpoint.ECHO, argument,
                            "function 'echo'"));
                    if (!Arrays.equals(answer, argument)) {
                        throw new IllegalStateException("the warm-up call answered " + answer.length
                                + " other bytes");
                    }
                    ClientConnection.await(link.callRaw(BuiltinFunctions.HEARTBEAT, new byte[0],
                            "built-in 'heartbeat'"));
                }
            }
        }
    }
}
