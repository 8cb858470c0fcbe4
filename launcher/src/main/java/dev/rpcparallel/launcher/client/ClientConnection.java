package dev.rpcparallel.launcher.client;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.DirectPipeId;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RemoteState;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.CallThreads;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.ReadingThreads;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.protocol.handshake.ClientHandshake;
import dev.rpcparallel.launcher.protocol.handshake.HandshakeKey;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.TransportConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * A connection to a worker, as its caller sees it: the handshake when it opens, then calls of
 * every kind (one class each: {@link RpcCall}, {@link OneWayCall}, {@link PipeCall},
 * {@link StateCall}, {@link DirectPipeCall}, {@link ReversePipeCall}) multiplexed by call id on
 * its {@link ClientSession}. Calls may be made from any thread; results complete their futures
 * on the channel's reading thread (a blocking wait there hands reading to another thread first:
 * {@link ReadingThreads}). A call with a deadline ({@link CallDeadline}) announces it to the
 * worker with a {@code DEADLINE} frame and fails here when it passes; a call cancelled or past
 * its deadline is cancelled in the worker with a {@code CANCEL} frame.
 */
public final class ClientConnection implements Connection {
    private final ClientSession session;
    private volatile FunctionIds functionIds;
    /** A deferred link's settings, kept for {@link #completeOpen}; null once open. */
    private volatile RpcSettings deferredSettings;

    private ClientConnection(ClientSession session, FunctionIds functionIds) {
        this.session = session;
        this.functionIds = functionIds;
    }

    /**
     * Connects, proving the application's secret, and completes the handshake.
     *
     * @throws ConnectionException if the worker cannot be reached, does not prove the secret,
     *     refuses the connection, or its connection-state init throws
     */
    public static ClientConnection open(SessionContext context, WorkerRef worker, byte[] connectionArg,
            FunctionIds functionIds) {
        return open(context, HandshakeKey.ofSecret(context.secret()), worker, connectionArg, functionIds);
    }

    /** As {@link #open(SessionContext, WorkerRef, byte[], FunctionIds)}, proving {@code key}: the secret, or the key of this worker alone. */
    public static ClientConnection open(SessionContext context, HandshakeKey key, WorkerRef worker,
            byte[] connectionArg, FunctionIds functionIds) {
        requireNonNull(connectionArg, "connectionArg");
        return open(context, key, worker, ServerRole.WORKER, connectionArg, false, false, requireNonNull(functionIds));
    }

    /**
     * Opens a control connection to a worker: no connection state is initialised in the peer,
     * and only built-in functions ({@link #shutdownWorker()}, {@link #callRaw} with a built-in id)
     * can be called. For shutting a worker down.
     */
    public static ClientConnection openControl(SessionContext context, WorkerRef worker) {
        return openControl(context, worker, ServerRole.WORKER);
    }

    /**
     * Opens a control connection to the server of that role and id ({@code server.id()}): a
     * worker, or a master's registration server, to register with it.
     */
    public static ClientConnection openControl(SessionContext context, WorkerRef server, ServerRole role) {
        return openControl(context, HandshakeKey.ofSecret(context.secret()), server, role);
    }

    /** As {@link #openControl(SessionContext, WorkerRef)}, proving {@code key}. */
    public static ClientConnection openControl(SessionContext context, HandshakeKey key, WorkerRef worker) {
        return openControl(context, key, worker, ServerRole.WORKER);
    }

    private static ClientConnection openControl(SessionContext context, HandshakeKey key, WorkerRef server,
            ServerRole role) {
        return open(context, key, server, role, Frame.noPayload(), true, false, FunctionIds.noneNaming(
                "a control connection calls built-in functions only, not "));
    }

    /**
     * Opens a link authenticated now, with no connection state until {@link #completeOpen}
     * brings the connection argument; until then no call can be made on it. Only a server that
     * takes deferred links (an idle worker of a warm pool, once) accepts it.
     */
    public static ClientConnection openDeferred(SessionContext context, WorkerRef server) {
        return open(context, HandshakeKey.ofSecret(context.secret()), server, ServerRole.WORKER, Frame.noPayload(),
                false, true, FunctionIds.none(function -> "a parked link calls no function before it is adopted"));
    }

    private static ClientConnection open(SessionContext context, HandshakeKey key, WorkerRef worker, ServerRole role,
            byte[] connectionArg, boolean control, boolean deferred, FunctionIds functionIds) {
        RpcSettings settings = context.settings();
        FrameChannel channel;
        try {
            channel = context.transport().connect(worker.address(),
                    new TransportConfig(Messages.UNAUTHENTICATED_FRAME_LIMIT, settings.connectTimeout(),
                            settings.tls()));
        } catch (IOException e) {
            throw new ConnectionException("Cannot connect to " + role.named(worker.name()) + " at " + worker.address()
                    + ": " + e.getMessage(), e);
        }
        ClientSession session = new ClientSession(worker, role, channel);
        ClientConnection connection = new ClientConnection(session, functionIds);
        channel.start(session);
        try {
            ClientHandshake handshake = new ClientHandshake(channel, session.handshakeInbox(), settings, worker, role);
            Frame answer = handshake.authenticate(key, context.fingerprint(), connectionArg, control, deferred);
            if (deferred && answer.kind() == FrameKind.READY) {
                connection.deferredSettings = settings;
                return connection;
            }
            handshake.finish(answer, context.registryDescription());
            session.open(settings);
            return connection;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens a link made by {@link #openDeferred}: sends the connection argument, waits for the
     * connection-state init. The worker counts it as opened now (its first connection, for
     * {@link dev.rpcparallel.api.ShutdownOn#CONNECTION_CLOSED}).
     *
     * @param assignedWorker the worker as it is known now (the link was opened to its pool id)
     * @return false if the link broke meanwhile (nothing was opened: connect afresh)
     * @throws ConnectionException if the worker refused it or its connection-state init threw
     */
    public boolean completeOpen(WorkerRef assignedWorker, byte[] connectionArg, FunctionIds ids) {
        RpcSettings settings = deferredSettings;
        if (settings == null || session.closedReason() != null || !session.handshakeInbox().isEmpty()) {
            session.channel().close();
            return false;
        }
        session.worker(assignedWorker);
        this.functionIds = requireNonNull(ids, "ids");
        ClientHandshake handshake = new ClientHandshake(session.channel(), session.handshakeInbox(), settings,
                assignedWorker, ServerRole.WORKER);
        Frame answer = handshake.openDeferred(requireNonNull(connectionArg, "connectionArg"));
        if (answer == null) {
            return false;
        }
        try {
            handshake.finish(answer, "");
            session.open(settings);
            deferredSettings = null;
            return true;
        } catch (RuntimeException e) {
            session.channel().close();
            throw e;
        }
    }

    /**
     * Runs {@code action} once, after this connection delivered its first answer (or stream
     * element) to its caller, on the thread that delivered it: it must be short and not throw.
     * Never run if no answer comes.
     */
    public void afterFirstAnswer(Runnable action) {
        session.calls().afterFirstAnswer(action);
    }

    /**
     * Gives a way to learn why the worker went away, such as its exit status, consulted when the
     * connection is lost so that pending calls can say so.
     */
    public void explainLossWith(Supplier<Optional<String>> explainer) {
        session.explainLossWith(explainer);
    }

    /**
     * Waits for a call's result, rethrowing its failure as the library's own exception. On a
     * connection's reading thread, reading is handed over first. An interrupt cancels the call
     * (in the worker too).
     */
    public static <T> T await(CompletableFuture<T> future) {
        if (!future.isDone()) {
            ReadingThreads.beforeBlocking();
            // A call that calls gives its call slot to another call while it waits.
            CallThreads.whileBlockedOn(future);
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RpcParallelException("Interrupted while waiting for a call; it was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new RpcParallelException(String.valueOf(cause), cause);
        }
    }

    /**
     * Sends a call by function id with an encoded argument, without a deadline (none inherited
     * either: for the runtime's own calls); the future gets the encoded result.
     */
    public CompletableFuture<byte[]> callRaw(int functionId, byte[] arg, String functionLabel) {
        return session.startCall(functionId, arg, functionLabel, null);
    }

    private int functionId(WorkerFunction function) {
        requireNonNull(function, "function");
        return functionIds.idOf(function);
    }

    @Override
    public WorkerRef worker() {
        return session.worker();
    }

    @Override
    public <A, R> R call(RpcFunction<A, R> function, A arg) {
        return RpcCall.call(session, functionId(function), function, arg, CallOptions.defaults());
    }

    @Override
    public <A, R> R call(RpcFunction<A, R> function, A arg, Duration timeout) {
        return RpcCall.call(session, functionId(function), function, arg, CallOptions.timeout(timeout));
    }

    @Override
    public <A, R> CompletableFuture<R> callAsync(RpcFunction<A, R> function, A arg, CallOptions options) {
        requireNonNull(function, "function");
        requireNonNull(options, "options");
        int functionId;
        try {
            functionId = functionIds.idOf(function);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return RpcCall.callAsync(session, functionId, function, arg, options);
    }

    @Override
    public <A> void oneWay(OneWayFunction<A> function, A arg) {
        OneWayCall.send(session, functionId(function), function, arg);
    }

    @Override
    public <A, E> RemoteStream<E> pipe(PipeFunction<A, E> function, A arg, CallOptions options) {
        return PipeCall.open(session, functionId(function), function, arg, options);
    }

    @Override
    public <A, S, U> RemoteState<S, U> state(StateFunction<A, S, U> function, A arg, CallOptions options) {
        return StateCall.open(session, functionId(function), function, arg, options);
    }

    @Override
    public <A, E> DirectPipeId directPipe(DirectPipeFunction<A, E> function, A arg, CallOptions options,
            DirectPipeCallback<? super E> callback) {
        requireNonNull(callback, "callback");
        return DirectPipeCall.open(session, functionId(function), function, arg, options, callback);
    }

    @Override
    public void abort(DirectPipeId id) {
        DirectPipeCall.abort(session, id);
    }

    @Override
    public <Q, U, R> R reversePipe(ReversePipeFunction<Q, U, R> function, Q query, Iterator<? extends U> updates,
            CallOptions options) {
        requireNonNull(updates, "updates");
        return ReversePipeCall.call(session, functionId(function), function, query, updates, options);
    }

    @Override
    public <Q, U, R> CompletableFuture<R> reversePipeAsync(ReversePipeFunction<Q, U, R> function, Q query,
            Flow.Publisher<? extends U> updates, CallOptions options) {
        requireNonNull(updates, "updates");
        int functionId;
        try {
            functionId = functionId(function);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ReversePipeCall.callAsync(session, functionId, function, query, updates, options);
    }

    @Override
    public RemoteStream<LogEvent> logs() {
        InboundStream<LogEvent> events = PipeCall.openInbound(session, BuiltinFunctions.LOGS, Frame.noPayload(),
                "built-in 'logs'", bytes -> Payloads.decode(Messages.LOG_EVENT, bytes, "a log event", "logs",
                        session.worker().name()), null);
        events.takeFirstRaw(); // the worker's acknowledgement: from now on, every event comes
        return events;
    }

    @Override
    public void closeServer() {
        await(callRaw(BuiltinFunctions.CLOSE_SERVER, Frame.noPayload(), "built-in 'close-server'"));
    }

    @Override
    public void shutdownWorker() {
        try {
            await(callRaw(BuiltinFunctions.SHUTDOWN, Frame.noPayload(), "built-in 'shutdown'"));
        } finally {
            close();
        }
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "connection to worker '" + session.worker().name() + "' at " + session.worker().address();
    }
}
