package dev.rpcparallel.launcher.client;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.DirectPipeId;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.MessageTooLargeException;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RemoteException;
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
import dev.rpcparallel.launcher.protocol.DeadlineTimer;
import dev.rpcparallel.launcher.protocol.FlowControl;
import dev.rpcparallel.launcher.protocol.FrameAssembler;
import dev.rpcparallel.launcher.protocol.FrameWriter;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ReadingThreads;
import dev.rpcparallel.launcher.protocol.ReceiveBudget;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import dev.rpcparallel.launcher.protocol.handshake.HandshakeKey;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.protocol.CallThreads;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportConfig;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The client side of a connection: the handshake, then calls multiplexed by call id. Calls may
 * be made from any thread; results complete their futures on the channel's reading thread (a
 * blocking wait there hands reading to another thread first: {@link ReadingThreads}). A call with
 * a deadline ({@link CallDeadline}) announces it to the worker with a {@code DEADLINE} frame and
 * fails here when it passes; a call cancelled or past its deadline is cancelled in the worker
 * with a {@code CANCEL} frame.
 */
public final class ClientConnection implements Connection, FrameHandler, ReadingThreads.Reader {
    /** Replaced when a parked link is adopted: it was opened to the worker's pool id. */
    private volatile WorkerRef worker;
    private final FrameChannel channel;
    private volatile ToIntFunction<WorkerFunction> functionIds;
    /** A parked link's settings, kept for its adoption; null once open. */
    private volatile RpcSettings parkedSettings;
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    /** Pipes, direct pipes, states, reverse pipes and log streams in progress, by call id. */
    private final Map<Long, ClientStream> streams = new ConcurrentHashMap<>();
    private volatile FrameWriter writer;
    /** Used by the reading thread only. */
    private FrameAssembler assembler;
    private final AtomicLong nextCallId = new AtomicLong();
    private final BlockingQueue<Object> handshakeInbox = new LinkedBlockingQueue<>();
    private volatile boolean ready;
    /** The channel's reading thread, which must never block writing to the socket. */
    private volatile Thread reader;
    private volatile String closedReason;
    private volatile java.util.function.Supplier<java.util.Optional<String>> lossExplainer = java.util.Optional::empty;
    /** The memory bounds of this connection's streams, from its settings; set when it opens. */
    private volatile StreamLimits streamLimits;
    /** The settings' default call timeout, or {@code null}; set when the connection opens. */
    private volatile Duration defaultCallTimeout;

    private ClientConnection(WorkerRef worker, FrameChannel channel, ToIntFunction<WorkerFunction> functionIds) {
        this.worker = worker;
        this.channel = channel;
        this.functionIds = functionIds;
    }

    /**
     * Connects and completes the handshake.
     *
     * @param functionIds maps a function handle to its id in the worker's type, or throws an
     *     {@link IllegalArgumentException} saying the type has no such function
     * @param registryDescription this process's registry, to explain a plugin-set mismatch
     * @throws ConnectionException if the worker cannot be reached, does not prove the secret,
     *     refuses the connection, or its connection-state init throws
     */
    public static ClientConnection open(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef worker, byte[] connectionArg,
            ToIntFunction<WorkerFunction> functionIds) {
        requireNonNull(connectionArg, "connectionArg");
        return open(transport, settings, secret, fingerprint, registryDescription, worker, ServerRole.WORKER,
                connectionArg, false, false, functionIds);
    }

    /**
     * Opens a parked link to an idle worker of the master's warm pool: authenticated now, with no
     * connection state until {@link #adopt} (after the handover) brings the connection argument.
     * Until then no call can be made on it.
     */
    public static ClientConnection openParked(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef pooledWorker) {
        return open(transport, settings, secret, fingerprint, registryDescription, pooledWorker, ServerRole.WORKER,
                Frame.noPayload(), false, true, function -> {
                    throw new IllegalArgumentException("a parked link calls no function before it is adopted");
                });
    }

    /**
     * Turns this parked link into the worker's connection: sends the connection argument, waits
     * for the connection-state init. The worker counts it as opened now (its first connection,
     * for {@link dev.rpcparallel.api.ShutdownOn#CONNECTION_CLOSED}).
     *
     * @return false if the link broke while parked (nothing was opened: connect afresh)
     * @throws ConnectionException if the worker refused it or its connection-state init threw
     */
    public boolean adopt(WorkerRef assignedWorker, byte[] connectionArg, ToIntFunction<WorkerFunction> ids) {
        RpcSettings settings = parkedSettings;
        if (settings == null || closedReason != null || !handshakeInbox.isEmpty()) {
            channel.close();
            return false;
        }
        this.worker = requireNonNull(assignedWorker, "assignedWorker");
        this.functionIds = requireNonNull(ids, "ids");
        long deadline = System.nanoTime() + settings.handshakeTimeout().toNanos();
        try {
            channel.send(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(
                    new Messages.Auth(new byte[0], requireNonNull(connectionArg, "connectionArg"), false))));
        } catch (IOException e) {
            channel.close();
            return false;
        }
        Object next;
        try {
            next = handshakeInbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw failure("interrupted during the connection-state init");
        }
        if (next instanceof Throwable) {
            return false; // it broke: the caller connects afresh, and learns there why if the worker is gone
        }
        if (next == null) {
            channel.close();
            throw failure("no answer to the connection argument within " + settings.handshakeTimeout().toMillis() + " ms");
        }
        try {
            finishHandshake((Frame) next, settings, "");
            return true;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens a control connection to a worker: no connection state is initialised in the peer,
     * and only built-in functions ({@link #shutdownWorker()}, {@link #callRaw} with a built-in id)
     * can be called. For shutting a worker down.
     */
    public static ClientConnection openControl(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef worker) {
        return openControl(transport, settings, secret, fingerprint, registryDescription, worker, ServerRole.WORKER);
    }

    /**
     * Opens a control connection to the server of that role and id ({@code server.id()}): a
     * worker, or a master's registration server, to register with it.
     */
    public static ClientConnection openControl(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef server, ServerRole role) {
        return open(transport, settings, secret, fingerprint, registryDescription, server, role, Frame.noPayload(),
                true, false, function -> {
                    throw new IllegalArgumentException("a control connection calls built-in functions only, not "
                            + function);
                });
    }

    private static ClientConnection open(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef worker, ServerRole role, byte[] connectionArg,
            boolean control, boolean parked, ToIntFunction<WorkerFunction> functionIds) {
        return open(transport, settings, HandshakeKey.ofSecret(secret), fingerprint, registryDescription, worker,
                role, connectionArg, control, parked, functionIds);
    }

    /**
     * As {@link #open(Transport, RpcSettings, byte[], String, String, WorkerRef, byte[], ToIntFunction)},
     * proving {@code key}: the secret, or the key of this worker alone.
     */
    public static ClientConnection open(Transport transport, RpcSettings settings, HandshakeKey key,
            String fingerprint, String registryDescription, WorkerRef worker, byte[] connectionArg,
            ToIntFunction<WorkerFunction> functionIds) {
        requireNonNull(connectionArg, "connectionArg");
        return open(transport, settings, key, fingerprint, registryDescription, worker, ServerRole.WORKER,
                connectionArg, false, false, functionIds);
    }

    /** As {@link #openControl(Transport, RpcSettings, byte[], String, String, WorkerRef)}, proving {@code key}. */
    public static ClientConnection openControl(Transport transport, RpcSettings settings, HandshakeKey key,
            String fingerprint, String registryDescription, WorkerRef worker) {
        return open(transport, settings, key, fingerprint, registryDescription, worker, ServerRole.WORKER,
                Frame.noPayload(), true, false, function -> {
                    throw new IllegalArgumentException("a control connection calls built-in functions only, not "
                            + function);
                });
    }

    private static ClientConnection open(Transport transport, RpcSettings settings, HandshakeKey key,
            String fingerprint, String registryDescription, WorkerRef worker, ServerRole role, byte[] connectionArg,
            boolean control, boolean parked, ToIntFunction<WorkerFunction> functionIds) {
        FrameChannel channel;
        try {
            channel = transport.connect(worker.address(),
                    new TransportConfig(Messages.UNAUTHENTICATED_FRAME_LIMIT, settings.connectTimeout(),
                            settings.tls()));
        } catch (IOException e) {
            throw new ConnectionException("Cannot connect to worker '" + worker.name() + "' at " + worker.address()
                    + ": " + e.getMessage(), e);
        }
        ClientConnection connection = new ClientConnection(worker, channel, functionIds);
        channel.start(connection);
        try {
            connection.handshake(settings, key, fingerprint, registryDescription, role, connectionArg, control,
                    parked);
            return connection;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Proves the secret to the server of that role and id, and checks its proof of the same
     * identity: nothing of the application (connection argument, calls) is sent to a server that
     * has not proved it is the one meant. The proof covers the identity, so a challenge relayed
     * from any other server of the application fails the check like a forged one.
     */
    private void handshake(RpcSettings settings, HandshakeKey key, String fingerprint, String registryDescription,
            ServerRole role, byte[] connectionArg, boolean control, boolean parked) {
        long deadline = System.nanoTime() + settings.handshakeTimeout().toNanos();
        byte[] clientNonce = SecretProof.nonce();
        String serverId = worker.id();
        byte[] proofKey = key.forServer(role, serverId);
        sendHandshake(Frame.control(FrameKind.HELLO, Messages.HELLO.encode(
                new Messages.Hello(Messages.PROTOCOL_VERSION, clientNonce, serverId, fingerprint, role))));
        Frame challengeFrame = awaitHandshakeFrame(deadline, settings);
        if (challengeFrame.kind() == FrameKind.ERROR) {
            // Refused before any proof: the hello named another server (a stale WorkerRef).
            throw failure(refusalBeforeProof(challengeFrame));
        }
        if (challengeFrame.kind() != FrameKind.CHALLENGE) {
            throw failure("it answered " + challengeFrame.kind() + " instead of CHALLENGE");
        }
        Messages.Challenge challenge = Messages.CHALLENGE.decode(challengeFrame.payload());
        if (challenge.serverNonce() == null || challenge.serverNonce().length != SecretProof.NONCE_BYTES
                || !SecretProof.matches(SecretProof.serverProofWithKey(proofKey, role, serverId, clientNonce,
                        challenge.serverNonce()), challenge.serverProof())) {
            throw failure(key.isSecret() ? "the server there does not know the application's secret"
                    : "the server there does not know the key of worker " + serverId
                            + " (the access names another worker than the one that issued its key?)");
        }
        byte[] proof = SecretProof.clientProofWithKey(proofKey, role, serverId, clientNonce, challenge.serverNonce());
        sendHandshake(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(
                new Messages.Auth(proof, connectionArg, control, parked))));
        Frame answer = awaitHandshakeFrame(deadline, settings);
        if (parked && answer.kind() == FrameKind.READY) {
            parkedSettings = settings;
            return;
        }
        finishHandshake(answer, settings, registryDescription);
    }

    private static String refusalBeforeProof(Frame error) {
        try {
            return Messages.REMOTE_ERROR.decode(error.payload()).message();
        } catch (RuntimeException e) {
            return "it answered an ERROR that cannot be read instead of CHALLENGE";
        }
    }

    /** Reads the handshake's last answer: READY opens the connection; an ERROR says why not. */
    private void finishHandshake(Frame answer, RpcSettings settings, String registryDescription) {
        if (answer.kind() == FrameKind.ERROR) {
            Messages.RemoteError error = Messages.REMOTE_ERROR.decode(answer.payload());
            if (error.registryDescription() != null) {
                throw failure("the master and the worker were built from different plugin sets ("
                        + error.message() + ").\nWorker types here:\n" + indent(registryDescription)
                        + "Worker types in the worker:\n" + indent(error.registryDescription())
                        + "Start both with the same plugin jars and worker listing.");
            }
            if (error.isProtocolError()) {
                throw failure(error.message());
            }
            RemoteException remote = toRemoteException(error);
            throw new ConnectionException("Cannot connect to worker '" + worker.name() + "': its "
                    + error.origin() + " threw " + error.type() + (error.message() == null ? "" : ": " + error.message()),
                    remote);
        }
        if (answer.kind() != FrameKind.READY) {
            throw failure("it answered " + answer.kind() + " instead of READY");
        }
        channel.setMaxFrameSize(FrameWriter.maxFrameSize(settings.maxMessageSize()));
        writer = new FrameWriter(channel, settings.maxMessageSize(), "rpc-parallel-write-" + worker.name());
        streamLimits = StreamLimits.of(settings);
        defaultCallTimeout = settings.defaultCallTimeout();
        FrameWriter frames = writer;
        assembler = new FrameAssembler(settings.maxMessageSize(), ReceiveBudget.forAnswers(settings),
                () -> closedReason == null, frames::requestFlush);
        parkedSettings = null;
        ready = true;
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "  (none)\n" : lines.indent(2);
    }

    private void sendHandshake(Frame frame) {
        try {
            channel.send(frame);
        } catch (IOException e) {
            throw failure("the connection broke during the handshake: " + e.getMessage());
        }
    }

    private Frame awaitHandshakeFrame(long deadline, RpcSettings settings) {
        Object next;
        try {
            next = handshakeInbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted during the handshake");
        }
        if (next == null) {
            throw failure("no handshake answer within " + settings.handshakeTimeout().toMillis() + " ms");
        }
        if (next instanceof Throwable cause) {
            throw failure("it closed the connection during the handshake ("
                    + (cause instanceof EOFException ? "end of stream" : cause.toString())
                    + "); is the address that of a worker of this application?");
        }
        return (Frame) next;
    }

    private ConnectionException failure(String why) {
        return new ConnectionException("Cannot connect to worker '" + worker.name() + "' at " + worker.address() + ": " + why);
    }

    private RemoteException toRemoteException(Messages.RemoteError error) {
        return new RemoteException(worker.name(), error.origin(), error.type(), error.message(), error.stackTrace());
    }

    @Override
    public WorkerRef worker() {
        return worker;
    }

    @Override
    public <A, R> R call(RpcFunction<A, R> function, A arg) {
        return call(function, arg, CallOptions.defaults());
    }

    @Override
    public <A, R> R call(RpcFunction<A, R> function, A arg, Duration timeout) {
        return call(function, arg, CallOptions.timeout(timeout));
    }

    private <A, R> R call(RpcFunction<A, R> function, A arg, CallOptions options) {
        requireNonNull(function, "function");
        int functionId = functionIds.applyAsInt(function);
        CompletableFuture<byte[]> answer = startCall(functionId, encode(function, arg), "function '" + function.name() + "'",
                CallDeadline.of(options, defaultCallTimeout));
        // Decoded on the caller's thread, not the connection's reading thread.
        return decode(function, await(answer));
    }

    @Override
    public <A, R> CompletableFuture<R> callAsync(RpcFunction<A, R> function, A arg, CallOptions options) {
        requireNonNull(function, "function");
        requireNonNull(options, "options");
        int functionId;
        byte[] encoded;
        try {
            functionId = functionIds.applyAsInt(function);
            encoded = encode(function, arg);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String label = "function '" + function.name() + "'";
        return startCall(functionId, encoded, label, CallDeadline.of(options, defaultCallTimeout))
                .map(bytes -> decode(function, bytes));
    }

    private <A> byte[] encode(RpcFunction<A, ?> function, A arg) {
        try {
            return function.argCodec().encode(arg);
        } catch (CodecException e) {
            throw new CodecException("Cannot encode the argument of function '" + function.name() + "' with codec "
                    + function.argCodec().name() + ": " + e.getMessage(), e);
        }
    }

    private <R> R decode(RpcFunction<?, R> function, byte[] bytes) {
        try {
            return function.resultCodec().decode(bytes);
        } catch (CodecException e) {
            throw new CodecException("Cannot decode the result of function '" + function.name() + "' from worker '"
                    + worker.name() + "' with codec " + function.resultCodec().name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends a call by function id with an encoded argument, without a deadline (none inherited
     * either: for the runtime's own calls); the future gets the encoded result.
     */
    public CompletableFuture<byte[]> callRaw(int functionId, byte[] arg, String functionLabel) {
        return startCall(functionId, arg, functionLabel, null);
    }

    /** Sends a call; {@code deadline} is {@code null} for none. Cancelling the future cancels the call. */
    private CallFuture<byte[]> startCall(int functionId, byte[] arg, String functionLabel, CallDeadline deadline) {
        String reason = closedReason;
        if (reason != null || !ready) {
            CallFuture<byte[]> failed = new CallFuture<>(null);
            failed.completeExceptionally(closedException(functionLabel, reason == null ? "it is not open" : reason));
            return failed;
        }
        long callId = nextCallId.incrementAndGet();
        CallFuture<byte[]> future = new CallFuture<>(() -> abandon(callId));
        if (deadline != null && deadline.remainingNanos() <= 0) {
            future.completeExceptionally(deadline.exceeded(functionLabel, worker.name()));
            return future;
        }
        PendingCall pendingCall = new PendingCall(future, functionLabel);
        pending.put(callId, pendingCall);
        // Closing may have raced with the put: onClosed drains after setting the reason.
        if (closedReason != null) {
            failPending(callId, closedReason);
            return future;
        }
        if (deadline != null) {
            pendingCall.expireAt(deadline, () -> expire(callId, deadline));
        }
        try {
            sendCall(callId, functionId, arg, deadline);
        } catch (IOException e) {
            failAfterSendFailure(callId);
        } catch (RuntimeException e) {
            PendingCall call = pending.remove(callId);
            if (call != null) {
                call.ended();
                call.future().completeExceptionally(e instanceof IllegalArgumentException
                        ? new MessageTooLargeException("Cannot send " + functionLabel + " to worker '" + worker.name()
                                + "': " + e.getMessage(), e)
                        : closedException(functionLabel, "sending failed: " + e));
            }
        }
        return future;
    }

    /**
     * Sends a call, after its {@code DEADLINE} frame if it has a deadline.
     *
     * @throws IllegalArgumentException if the call is too large to send (a deadline sent is
     *     withdrawn)
     */
    private void sendCall(long callId, int functionId, byte[] arg, CallDeadline deadline) throws IOException {
        FrameWriter.Mode mode = sendMode();
        if (deadline != null) {
            // Unflushed: it leaves with the call, which follows at once.
            writer.send(new Frame(FrameKind.DEADLINE, callId, 0, deadline.encodeRemaining()),
                    mode == FrameWriter.Mode.QUEUE ? mode : FrameWriter.Mode.INLINE_DEFERRED_FLUSH);
        }
        try {
            writer.send(new Frame(FrameKind.CALL, callId, functionId, arg), mode);
        } catch (IllegalArgumentException e) {
            if (deadline != null) {
                // The deadline went out, the call did not: the worker forgets it.
                sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
            }
            throw e;
        }
    }

    /** The caller cancelled the call {@code callId}: the worker is told, the answer will be dropped. */
    private void abandon(long callId) {
        PendingCall call = pending.remove(callId);
        if (call != null) {
            call.ended();
            sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
        }
    }

    /** The deadline of the call {@code callId} passed: it fails, and the worker is told to cancel it. */
    private void expire(long callId, CallDeadline deadline) {
        PendingCall call = pending.remove(callId);
        if (call != null) {
            sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
            call.future().completeExceptionally(deadline.exceeded(call.functionLabel(), worker.name()));
        }
    }

    /**
     * Lets another thread read this connection's frames from now on: the current thread, its
     * reading thread (inside a callback of {@link #onFrame}), is about to block.
     *
     * @throws IllegalStateException if the transport cannot hand reading over
     */
    @Override
    public void handOffReading() {
        if (!channel.canHandOffReading()) {
            throw new IllegalStateException("A blocking call was made on the reading thread of the " + this
                    + ", whose transport cannot hand reading over to another thread: it would wait forever for an"
                    + " answer that only this thread can read. Do not block in a future's dependent stage or a"
                    + " direct-pipe callback: use callAsync with thenCompose, or give the stage an executor"
                    + " (thenApplyAsync)");
        }
        reader = null; // before the new reader starts: it sets itself on its first frame
        channel.handOffReading();
    }

    /**
     * A send found the connection closed or broken. The channel is closed by then, and its loss
     * ({@link #onClosed}) fails every pending call with how the worker ended (its exit status,
     * such as a signal), which a write error cannot tell. So the call stays pending for that,
     * unless the loss was already handled before the call was registered.
     */
    private void failAfterSendFailure(long callId) {
        String reason = closedReason;
        if (reason != null) {
            failPending(callId, reason);
        }
    }

    private ConnectionException closedException(String functionLabel, String reason) {
        return new ConnectionException("Call of " + functionLabel + " on worker '" + worker.name() + "' ("
                + worker.address() + ") failed: the connection " + reason);
    }

    /** Fails the call or stream {@code callId}, if still pending, because the connection {@code reason}. */
    private void failPending(long callId, String reason) {
        PendingCall call = pending.remove(callId);
        if (call != null) {
            call.ended().future().completeExceptionally(closedException(call.functionLabel(), reason));
        }
        ClientStream stream = endStream(callId);
        if (stream != null) {
            stream.fail(closedException(stream.label, reason));
        }
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
            CallThreads.whileBlocked(() -> {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // reported below
                }
                return null;
            });
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

    @Override
    public void onFrame(Frame received) {
        if (reader == null) {
            reader = Thread.currentThread();
            ReadingThreads.reading(this);
        }
        if (!ready) {
            handshakeInbox.add(received);
            return;
        }
        if (assembler.joins(received.kind(), received.callId())) {
            byte[] payload = received.payload();
            onFrame(received.kind(), received.callId(), received.functionId(), payload, 0, payload.length);
            return;
        }
        onWholeFrame(received);
    }

    /**
     * A frame whose payload is a slice of the channel's read buffer: a piece of a larger payload
     * is copied straight into the payload being joined; anything else is copied into a frame.
     */
    @Override
    public void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
        FrameAssembler joining = assembler;
        if (!ready || joining == null || !joining.joins(kind, callId)) {
            FrameHandler.super.onFrame(kind, callId, functionId, buffer, offset, length);
            return;
        }
        if (reader == null) {
            reader = Thread.currentThread();
            ReadingThreads.reading(this);
        }
        Frame frame;
        try {
            frame = joining.accept(kind, callId, functionId, buffer, offset, length);
        } catch (java.net.ProtocolException e) {
            closedReason = "was closed: " + e.getMessage();
            channel.close();
            return;
        } catch (FrameAssembler.OverBudget e) {
            failOverBudget(e);
            return;
        }
        if (frame != null) {
            try {
                onWholeFrame(frame);
            } finally {
                // Delivered: the bytes are the caller's now, no longer in flight.
                joining.budget().release(frame.payload().length);
            }
        }
    }

    /** A result or stream element larger than this process's whole receive budget was dropped: its call fails. */
    private void failOverBudget(FrameAssembler.OverBudget e) {
        PendingCall call = pending.remove(e.callId());
        String what = call != null ? "the encoded result of " + call.functionLabel() : "an encoded element of a stream";
        RpcParallelException failure = new RpcParallelException("Cannot receive " + what + " from worker '"
                + worker.name() + "': " + assembler.budget().refusal("it", e.size(), "this process"));
        if (call != null) {
            call.future().completeExceptionally(failure);
            return;
        }
        ClientStream stream = streams.remove(e.callId());
        if (stream != null) {
            stream.fail(failure);
        }
    }

    /** A frame with its whole payload, joined if it came in pieces. */
    private void onWholeFrame(Frame frame) {
        PendingCall call = pending.remove(frame.callId());
        if (call != null) {
            call.ended();
        }
        if (call == null) {
            ClientStream stream = streams.get(frame.callId());
            if (stream != null) {
                stream.onFrame(frame);
            }
            return; // else the call was already failed locally, or the stream was cancelled
        }
        switch (frame.kind()) {
            case RESULT -> call.future().complete(frame.payload());
            case ERROR -> {
                Messages.RemoteError error;
                try {
                    error = Messages.REMOTE_ERROR.decode(frame.payload());
                } catch (RuntimeException e) {
                    call.future().completeExceptionally(new RpcParallelException("Worker '" + worker.name()
                            + "' sent an unreadable error for " + call.functionLabel() + ": " + e, e));
                    return;
                }
                call.future().completeExceptionally(error.isProtocolError()
                        ? error.refusal(worker.name(), call.functionLabel())
                        : toRemoteException(error));
            }
            default -> call.future().completeExceptionally(new RpcParallelException("Worker '" + worker.name()
                    + "' answered " + call.functionLabel() + " with an unexpected " + frame.kind() + " frame"));
        }
    }

    /**
     * Gives a way to learn why the worker went away, such as its exit status, consulted when the
     * connection is lost so that pending calls can say so.
     */
    public void explainLossWith(java.util.function.Supplier<java.util.Optional<String>> explainer) {
        this.lossExplainer = requireNonNull(explainer, "explainer");
    }

    @Override
    public void onClosed(Throwable cause) {
        String reason = cause == null
                ? "was closed"
                : "to it was lost (" + lossExplainer.get().orElseGet(() ->
                        cause instanceof EOFException ? "the worker closed it" : cause.toString()) + ")";
        if (closedReason == null) {
            closedReason = reason;
        }
        if (!ready) {
            handshakeInbox.add(cause == null ? new EOFException("closed") : cause);
        }
        for (Long callId : pending.keySet()) {
            failPending(callId, closedReason);
        }
        for (Long callId : streams.keySet()) {
            failPending(callId, closedReason);
        }
        FrameAssembler joining = assembler;
        if (joining != null) {
            joining.close();
        }
        FrameWriter frames = writer;
        if (frames != null) {
            frames.close();
        }
    }

    // ---------------------------------------------------------------- streams

    /** A call in progress that gets more than one answer frame. */
    private abstract static class ClientStream {
        final String label;
        /** Watches the stream's deadline, if it has one. */
        volatile ScheduledFuture<?> expiry;

        ClientStream(String label) {
            this.label = label;
        }

        /** A frame of this call arrived; runs on the reading thread. */
        abstract void onFrame(Frame frame);

        /** The call failed locally: the connection closed or was lost. */
        abstract void fail(RuntimeException error);
    }

    private int functionId(WorkerFunction function) {
        requireNonNull(function, "function");
        return functionIds.applyAsInt(function);
    }

    private static <T> byte[] encode(Codec<T> codec, T value, String what, String functionName) {
        try {
            return codec.encode(value);
        } catch (CodecException e) {
            throw new CodecException("Cannot encode " + what + " of function '" + functionName + "' with codec "
                    + codec.name() + ": " + e.getMessage(), e);
        }
    }

    private <T> T decode(Codec<T> codec, byte[] bytes, String what, String functionName) {
        try {
            return codec.decode(bytes);
        } catch (CodecException e) {
            throw new CodecException("Cannot decode " + what + " of function '" + functionName + "' from worker '"
                    + worker.name() + "' with codec " + codec.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Registers a stream and sends its call; the stream is failed if the connection is closed,
     * or when its deadline ({@code null} for none) passes.
     */
    private void start(long callId, int functionId, byte[] arg, ClientStream stream, CallDeadline deadline) {
        String reason = closedReason;
        if (reason != null || !ready) {
            throw closedException(stream.label, reason == null ? "it is not open" : reason);
        }
        if (deadline != null && deadline.remainingNanos() <= 0) {
            throw deadline.exceeded(stream.label, worker.name());
        }
        streams.put(callId, stream);
        if (closedReason != null) {
            failPending(callId, closedReason);
            return;
        }
        if (deadline != null) {
            stream.expiry = DeadlineTimer.at(deadline.atNanos(), () -> {
                if (streams.remove(callId, stream)) {
                    sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
                    stream.fail(deadline.exceeded(stream.label, worker.name()));
                }
            });
        }
        try {
            sendCall(callId, functionId, arg, deadline);
        } catch (IOException e) {
            failAfterSendFailure(callId);
        } catch (IllegalArgumentException e) {
            endStream(callId);
            throw new MessageTooLargeException("Cannot send " + stream.label + " to worker '" + worker.name() + "': "
                    + e.getMessage(), e);
        }
    }

    /** Removes the stream {@code callId}, if still there, and stops watching its deadline. */
    private ClientStream endStream(long callId) {
        ClientStream stream = streams.remove(callId);
        if (stream != null) {
            ScheduledFuture<?> timer = stream.expiry;
            if (timer != null) {
                timer.cancel(false);
            }
        }
        return stream;
    }

    /**
     * How this thread sends: on its own if the writer is idle (no thread hand-off), unless it is
     * the reading thread, which must not block on the socket.
     */
    private FrameWriter.Mode sendMode() {
        return Thread.currentThread() == reader ? FrameWriter.Mode.QUEUE : FrameWriter.Mode.INLINE;
    }

    /** Sends a stream's control frame (credit, cancel, update); a failure closes the connection. */
    private void sendQuietly(Frame frame) {
        try {
            // A reverse pipe's updates are flushed in batches by the writer thread.
            FrameWriter.Mode mode = sendMode();
            writer.send(frame, frame.kind() == FrameKind.ELEMENT && mode == FrameWriter.Mode.INLINE
                    ? FrameWriter.Mode.INLINE_LATER_FLUSH : mode);
        } catch (IOException e) {
            // The connection is closed: its handler fails the stream.
        }
    }

    /** The failure an ERROR frame reports. */
    private RuntimeException errorOf(Frame frame, String label) {
        Messages.RemoteError error;
        try {
            error = Messages.REMOTE_ERROR.decode(frame.payload());
        } catch (RuntimeException e) {
            return new RpcParallelException("Worker '" + worker.name() + "' sent an unreadable error for " + label
                    + ": " + e, e);
        }
        if (error.isLimitError()) {
            return new RpcParallelException(error.message());
        }
        return error.isProtocolError() ? error.refusal(worker.name(), label) : toRemoteException(error);
    }

    private RuntimeException unexpected(Frame frame, String label) {
        return new RpcParallelException("Worker '" + worker.name() + "' answered " + label + " with an unexpected "
                + frame.kind() + " frame");
    }

    /** Opens a flow-controlled stream of elements from the worker. */
    private <E> InboundStream<E> openInbound(int functionId, byte[] arg, String label,
            java.util.function.Function<byte[], E> decoder, CallDeadline deadline) {
        long callId = nextCallId.incrementAndGet();
        InboundStream<E> stream = new InboundStream<>(label, streamLimits.window(), decoder,
                credit -> sendQuietly(new Frame(FrameKind.CREDIT, callId, 0, credit.encode())),
                () -> {
                    if (endStream(callId) != null) {
                        sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
                    }
                });
        start(callId, functionId, arg, new ClientStream(label) {
            @Override
            void onFrame(Frame frame) {
                switch (frame.kind()) {
                    case ELEMENT -> stream.onElement(frame.payload());
                    case END -> {
                        endStream(callId);
                        stream.onEnd();
                    }
                    case ERROR -> {
                        endStream(callId);
                        stream.onFailure(errorOf(frame, label));
                    }
                    default -> {
                        endStream(callId);
                        stream.onFailure(unexpected(frame, label));
                    }
                }
            }

            @Override
            void fail(RuntimeException error) {
                stream.onFailure(error);
            }
        }, deadline);
        return stream;
    }

    @Override
    public <A, E> RemoteStream<E> pipe(PipeFunction<A, E> function, A arg, CallOptions options) {
        int functionId = functionId(function);
        byte[] encoded = encode(function.argCodec(), arg, "the argument", function.name());
        return openInbound(functionId, encoded, "pipe '" + function.name() + "'",
                bytes -> decode(function.elementCodec(), bytes, "an element", function.name()),
                CallDeadline.of(options, null));
    }

    @Override
    public <A, S, U> RemoteState<S, U> state(StateFunction<A, S, U> function, A arg, CallOptions options) {
        int functionId = functionId(function);
        byte[] encoded = encode(function.argCodec(), arg, "the argument", function.name());
        InboundStream<U> updates = openInbound(functionId, encoded, "state '" + function.name() + "'",
                bytes -> decode(function.updateCodec(), bytes, "an update", function.name()),
                CallDeadline.of(options, null));
        S initial;
        try {
            initial = decode(function.stateCodec(), updates.takeFirstRaw(), "the initial state", function.name());
        } catch (RuntimeException e) {
            updates.close();
            throw e;
        }
        return new RemoteState<>() {
            @Override
            public S initialState() {
                return initial;
            }

            @Override
            public RemoteStream<U> updates() {
                return updates;
            }

            @Override
            public void close() {
                updates.close();
            }
        };
    }

    @Override
    public RemoteStream<LogEvent> logs() {
        InboundStream<LogEvent> events = openInbound(BuiltinFunctions.LOGS, Frame.noPayload(), "built-in 'logs'",
                bytes -> decode(Messages.LOG_EVENT, bytes, "a log event", "logs"), null);
        events.takeFirstRaw(); // the worker's acknowledgement: from now on, every event comes
        return events;
    }

    @Override
    public void closeServer() {
        await(callRaw(BuiltinFunctions.CLOSE_SERVER, Frame.noPayload(), "built-in 'close-server'"));
    }

    @Override
    public <A> void oneWay(OneWayFunction<A> function, A arg) {
        int functionId = functionId(function);
        byte[] encoded = encode(function.argCodec(), arg, "the argument", function.name());
        String label = "one-way function '" + function.name() + "'";
        String reason = closedReason;
        if (reason != null || !ready) {
            throw closedException(label, reason == null ? "it is not open" : reason);
        }
        try {
            writer.send(new Frame(FrameKind.CALL, nextCallId.incrementAndGet(), functionId, encoded), sendMode());
        } catch (IOException e) {
            throw closedException(label, "sending failed: " + e);
        } catch (IllegalArgumentException e) {
            throw new MessageTooLargeException("Cannot send " + label + " to worker '" + worker.name() + "': "
                    + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- direct pipes

    @Override
    public <A, E> DirectPipeId directPipe(DirectPipeFunction<A, E> function, A arg, CallOptions options,
            DirectPipeCallback<? super E> callback) {
        requireNonNull(callback, "callback");
        int functionId = functionId(function);
        byte[] encoded = encode(function.argCodec(), arg, "the argument", function.name());
        long callId = nextCallId.incrementAndGet();
        String label = "direct pipe '" + function.name() + "'";
        DirectPipeReceiver<E> receiver = new DirectPipeReceiver<>(label + " of worker '" + worker.name() + "'",
                streamLimits, bytes -> decode(function.elementCodec(), bytes, "an element", function.name()), callback,
                taken -> sendQuietly(new Frame(FrameKind.CREDIT, callId, 0, taken.encode())),
                () -> {
                    if (endStream(callId) != null) {
                        sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
                    }
                });
        start(callId, functionId, encoded, new DirectStream(label, receiver) {
            @Override
            void onFrame(Frame frame) {
                switch (frame.kind()) {
                    case ELEMENT -> receiver.onElement(frame.payload());
                    case END -> {
                        endStream(callId);
                        receiver.close(null, false);
                    }
                    case ERROR -> {
                        endStream(callId);
                        RuntimeException error = errorOf(frame, label);
                        // Past its bound the pipe fails at once: what waits for the slow callback is dropped.
                        receiver.close(error, !(error instanceof RemoteException));
                    }
                    default -> {
                        endStream(callId);
                        receiver.close(unexpected(frame, label), false);
                    }
                }
            }
        }, CallDeadline.of(options, null));
        return new DirectPipeId(callId);
    }

    /** A direct pipe in progress: its frames go to its receiver. */
    private abstract static class DirectStream extends ClientStream {
        final DirectPipeReceiver<?> receiver;

        DirectStream(String label, DirectPipeReceiver<?> receiver) {
            super(label);
            this.receiver = receiver;
        }

        @Override
        void fail(RuntimeException error) {
            receiver.close(error, false);
        }
    }

    @Override
    public void abort(DirectPipeId id) {
        requireNonNull(id, "id");
        ClientStream stream = streams.get(id.value());
        if (!(stream instanceof DirectStream direct) || !streams.remove(id.value(), stream)) {
            return;
        }
        ScheduledFuture<?> timer = stream.expiry;
        if (timer != null) {
            timer.cancel(false);
        }
        sendQuietly(new Frame(FrameKind.CANCEL, id.value(), 0, Frame.noPayload()));
        direct.receiver.close(new CancellationException(direct.label + " of worker '" + worker.name()
                + "' was aborted by the caller"), true);
    }

    // ---------------------------------------------------------------- reverse pipes

    /** A reverse pipe's sending end: updates go out as credit allows, in elements and bytes; one result comes back. */
    private final class ReverseCall extends ClientStream {
        final long callId = nextCallId.incrementAndGet();
        final FlowControl.Credits credits = new FlowControl.Credits(streamLimits.window());
        /** Cancelling it cancels the call in the worker. */
        final CallFuture<byte[]> result = new CallFuture<>(this::cancelledByCaller);
        /** Updates from a publisher (reversePipeAsync). */
        final PublishedUpdates published = new PublishedUpdates(credits, this::update, this::end);

        ReverseCall(String label) {
            super(label);
        }

        @Override
        void onFrame(Frame frame) {
            switch (frame.kind()) {
                case CREDIT -> {
                    credits.grant(FlowControl.Credit.decode(frame.payload()));
                    published.credited();
                }
                case RESULT -> finish(null, frame.payload());
                case ERROR -> finish(errorOf(frame, label), null);
                default -> finish(unexpected(frame, label), null);
            }
        }

        @Override
        void fail(RuntimeException error) {
            finish(error, null);
        }

        void finish(RuntimeException error, byte[] answer) {
            endStream(callId);
            credits.stop(new CancellationException(label + " has been answered"));
            published.stop();
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(answer);
            }
        }

        /** Tells the worker the updates failed here, and fails the call with {@code error}. */
        void abort(RuntimeException error) {
            if (endStream(callId) != null) {
                sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
            }
            credits.stop(new CancellationException(label + " was aborted"));
            published.stop();
            result.completeExceptionally(error);
        }

        /** The caller cancelled {@link #result}: the worker is told, and the updates stop. */
        private void cancelledByCaller() {
            if (endStream(callId) != null) {
                sendQuietly(new Frame(FrameKind.CANCEL, callId, 0, Frame.noPayload()));
            }
            credits.stop(new CancellationException(label + " was cancelled"));
            published.stop();
        }

        void update(byte[] encoded) {
            sendQuietly(new Frame(FrameKind.ELEMENT, callId, 0, encoded));
        }

        void end() {
            sendQuietly(new Frame(FrameKind.END, callId, 0, Frame.noPayload()));
        }
    }

    @Override
    public <Q, U, R> R reversePipe(ReversePipeFunction<Q, U, R> function, Q query, Iterator<? extends U> updates,
            CallOptions options) {
        requireNonNull(updates, "updates");
        int functionId = functionId(function);
        byte[] encoded = encode(function.queryCodec(), query, "the query", function.name());
        ReverseCall call = new ReverseCall("reverse pipe '" + function.name() + "'");
        ReadingThreads.beforeBlocking(); // waiting for credit would hold up the answers it needs
        start(call.callId, functionId, encoded, call, CallDeadline.of(options, defaultCallTimeout));
        try {
            while (!call.result.isDone() && updates.hasNext()) {
                byte[] update = encode(function.updateCodec(), updates.next(), "an update", function.name());
                call.credits.acquire(update.length);
                call.update(update);
            }
            call.end();
        } catch (CancellationException answeredOrClosed) {
            // The worker answered early, or the connection ended: the result says which.
        } catch (RuntimeException e) {
            call.abort(e);
            throw e;
        }
        byte[] answer = await(call.result);
        return decode(function.resultCodec(), answer, "the result", function.name());
    }

    @Override
    public <Q, U, R> CompletableFuture<R> reversePipeAsync(ReversePipeFunction<Q, U, R> function, Q query,
            Flow.Publisher<? extends U> updates, CallOptions options) {
        requireNonNull(updates, "updates");
        ReverseCall call;
        try {
            int functionId = functionId(function);
            byte[] encoded = encode(function.queryCodec(), query, "the query", function.name());
            call = new ReverseCall("reverse pipe '" + function.name() + "'");
            start(call.callId, functionId, encoded, call, CallDeadline.of(options, defaultCallTimeout));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        updates.subscribe(new Flow.Subscriber<U>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                call.published.subscribed(subscription);
            }

            @Override
            public void onNext(U update) {
                if (!call.result.isDone()) {
                    byte[] encoded;
                    try {
                        encoded = encode(function.updateCodec(), update, "an update", function.name());
                    } catch (RuntimeException e) {
                        call.abort(e);
                        return;
                    }
                    call.published.published(encoded);
                }
            }

            @Override
            public void onError(Throwable error) {
                call.abort(new RpcParallelException("The updates of " + call.label + " to worker '" + worker.name()
                        + "' failed: " + error, error));
            }

            @Override
            public void onComplete() {
                if (!call.result.isDone()) {
                    call.published.completed();
                }
            }
        });
        return call.result.map(answer -> decode(function.resultCodec(), answer, "the result", function.name()));
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
        return ready && closedReason == null;
    }

    @Override
    public void close() {
        FrameWriter frames = writer;
        if (frames != null && closedReason == null) {
            // What was sent (one-way calls, a stream's end) goes out before the close.
            frames.drain(2_000);
        }
        if (closedReason == null) {
            closedReason = "was closed";
        }
        channel.close();
    }

    @Override
    public String toString() {
        return "connection to worker '" + worker.name() + "' at " + worker.address();
    }
}
