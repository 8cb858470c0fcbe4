package dev.rpcparallel.launcher.rpc;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportConfig;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The client side of a connection: the handshake, then calls multiplexed by call id. Calls may
 * be made from any thread; results complete their futures on the channel's reading thread.
 */
public final class ClientConnection implements Connection, FrameHandler {
    private final WorkerRef worker;
    private final FrameChannel channel;
    private final ToIntFunction<RpcFunction<?, ?>> functionIds;
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextCallId = new AtomicLong();
    private final BlockingQueue<Object> handshakeInbox = new LinkedBlockingQueue<>();
    private volatile boolean ready;
    private volatile String closedReason;
    private volatile java.util.function.Supplier<java.util.Optional<String>> lossExplainer = java.util.Optional::empty;

    private record PendingCall(CompletableFuture<byte[]> future, String functionLabel) {}

    private ClientConnection(WorkerRef worker, FrameChannel channel, ToIntFunction<RpcFunction<?, ?>> functionIds) {
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
            ToIntFunction<RpcFunction<?, ?>> functionIds) {
        requireNonNull(connectionArg, "connectionArg");
        return open(transport, settings, secret, fingerprint, registryDescription, worker, connectionArg, false,
                functionIds);
    }

    /**
     * Opens a control connection: no connection state is initialised in the peer, and only
     * built-in functions ({@link #shutdownWorker()}, {@link #callRaw} with a built-in id) can be
     * called. For shutting a worker down and for registering with a master.
     */
    public static ClientConnection openControl(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef worker) {
        return open(transport, settings, secret, fingerprint, registryDescription, worker, Frame.noPayload(), true,
                function -> {
                    throw new IllegalArgumentException("a control connection calls built-in functions only, not "
                            + function);
                });
    }

    private static ClientConnection open(Transport transport, RpcSettings settings, byte[] secret,
            String fingerprint, String registryDescription, WorkerRef worker, byte[] connectionArg, boolean control,
            ToIntFunction<RpcFunction<?, ?>> functionIds) {
        FrameChannel channel;
        try {
            channel = transport.connect(worker.address(),
                    new TransportConfig(RpcServer.UNAUTHENTICATED_FRAME_LIMIT, settings.connectTimeout()));
        } catch (IOException e) {
            throw new ConnectionException("Cannot connect to worker '" + worker.name() + "' at " + worker.address()
                    + ": " + e.getMessage(), e);
        }
        ClientConnection connection = new ClientConnection(worker, channel, functionIds);
        channel.start(connection);
        try {
            connection.handshake(settings, secret, fingerprint, registryDescription, connectionArg, control);
            return connection;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void handshake(RpcSettings settings, byte[] secret, String fingerprint, String registryDescription,
            byte[] connectionArg, boolean control) {
        long deadline = System.nanoTime() + settings.handshakeTimeout().toNanos();
        byte[] clientNonce = SecretProof.nonce();
        sendHandshake(Frame.control(FrameKind.HELLO, Messages.HELLO.encode(
                new Messages.Hello(Messages.PROTOCOL_VERSION, clientNonce, worker.id(), fingerprint))));
        Frame challengeFrame = awaitHandshakeFrame(deadline, settings);
        if (challengeFrame.kind() != FrameKind.CHALLENGE) {
            throw failure("it answered " + challengeFrame.kind() + " instead of CHALLENGE");
        }
        Messages.Challenge challenge = Messages.CHALLENGE.decode(challengeFrame.payload());
        if (challenge.serverNonce() == null || challenge.serverNonce().length != SecretProof.NONCE_BYTES
                || !SecretProof.matches(SecretProof.serverProof(secret, clientNonce, challenge.serverNonce(), worker.id()),
                        challenge.serverProof())) {
            throw failure("the server there does not know the application's secret");
        }
        byte[] proof = SecretProof.clientProof(secret, clientNonce, challenge.serverNonce(), worker.id());
        sendHandshake(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(new Messages.Auth(proof, connectionArg, control))));
        Frame answer = awaitHandshakeFrame(deadline, settings);
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
        channel.setMaxFrameSize(settings.maxMessageSize());
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
        return await(callAsync(function, arg));
    }

    @Override
    public <A, R> CompletableFuture<R> callAsync(RpcFunction<A, R> function, A arg) {
        requireNonNull(function, "function");
        int functionId;
        byte[] encoded;
        try {
            functionId = functionIds.applyAsInt(function);
            encoded = encode(function, arg);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String label = "function '" + function.name() + "'";
        return callRaw(functionId, encoded, label).thenApply(bytes -> decode(function, bytes));
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

    /** Sends a call by function id with an encoded argument; the future gets the encoded result. */
    public CompletableFuture<byte[]> callRaw(int functionId, byte[] arg, String functionLabel) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        String reason = closedReason;
        if (reason != null || !ready) {
            future.completeExceptionally(closedException(functionLabel, reason == null ? "it is not open" : reason));
            return future;
        }
        long callId = nextCallId.incrementAndGet();
        pending.put(callId, new PendingCall(future, functionLabel));
        // Closing may have raced with the put: onClosed drains after setting the reason.
        if (closedReason != null) {
            failPending(callId, closedReason);
            return future;
        }
        try {
            channel.send(new Frame(FrameKind.CALL, callId, functionId, arg));
        } catch (IOException | RuntimeException e) {
            PendingCall call = pending.remove(callId);
            if (call != null) {
                call.future().completeExceptionally(e instanceof IllegalArgumentException
                        ? new RpcParallelException("Cannot send " + functionLabel + " to worker '" + worker.name()
                                + "': " + e.getMessage(), e)
                        : closedException(functionLabel, "sending failed: " + e));
            }
        }
        return future;
    }

    private ConnectionException closedException(String functionLabel, String reason) {
        return new ConnectionException("Call of " + functionLabel + " on worker '" + worker.name() + "' ("
                + worker.address() + ") failed: the connection " + reason);
    }

    private void failPending(long callId, String reason) {
        PendingCall call = pending.remove(callId);
        if (call != null) {
            call.future().completeExceptionally(closedException(call.functionLabel(), reason));
        }
    }

    /** Waits for a call's result, rethrowing its failure as the library's own exception. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcParallelException("Interrupted while waiting for a call", e);
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
    public void onFrame(Frame frame) {
        if (!ready) {
            handshakeInbox.add(frame);
            return;
        }
        PendingCall call = pending.remove(frame.callId());
        if (call == null) {
            return; // the call was already failed locally
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
                        ? new RpcParallelException("Worker '" + worker.name() + "' refused " + call.functionLabel()
                                + ": " + error.message())
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
