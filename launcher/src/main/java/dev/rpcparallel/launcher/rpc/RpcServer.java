package dev.rpcparallel.launcher.rpc;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Serves one {@link Endpoint} on a transport listener. Every accepted connection must complete
 * the handshake (both sides prove the application's secret, then the plugin sets are compared)
 * within the handshake timeout; until then its frames are limited to
 * {@link #UNAUTHENTICATED_FRAME_LIMIT} bytes and no payload of the application is decoded.
 * Calls (rpc and one-way) run through the process's bounded {@link CallExecutor}, their arguments
 * held in its {@link ReceiveBudget} from their arrival until their answer is written: the reading
 * thread waits (and so stops reading the connection) while a new argument would exceed the
 * budget. An rpc call runs on the connection's reading thread when a slot is free and no call
 * waits, and its answer is written there too, so a short call costs no thread hand-off; if it
 * runs longer than a moment, another thread reads the connection's next frames
 * ({@link InlineCalls}), so a slow call never holds up the others for long. Built-in functions
 * take neither slot nor budget; streams and connection-state inits run on the executor.
 * A call can be cancelled while it waits or runs, by its caller or its deadline
 * ({@link ServerCalls}): then no answer is sent.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RpcServer.class);
    /** The largest frame a peer may send before it has authenticated. */
    static final int UNAUTHENTICATED_FRAME_LIMIT = 16 * 1024;

    private final Endpoint endpoint;
    private final RpcSettings settings;
    private final byte[] secret;
    private final String fingerprint;
    private final String registryDescription;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final TransportListener listener;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong nextSessionId = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    /**
     * Starts listening on {@code settings.bindHost()}, any free port.
     *
     * @param fingerprint this process's registry fingerprint; a client with another is refused
     * @param registryDescription this process's registry, sent to a refused client to explain
     */
    public RpcServer(Transport transport, RpcSettings settings, byte[] secret, String fingerprint,
            String registryDescription, Endpoint endpoint, ExecutorService executor,
            ScheduledExecutorService timer) throws IOException {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.settings = requireNonNull(settings, "settings");
        this.secret = requireNonNull(secret, "secret").clone();
        this.fingerprint = requireNonNull(fingerprint, "fingerprint");
        this.registryDescription = requireNonNull(registryDescription, "registryDescription");
        this.executor = requireNonNull(executor, "executor");
        this.timer = requireNonNull(timer, "timer");
        TransportConfig config = new TransportConfig(UNAUTHENTICATED_FRAME_LIMIT, settings.connectTimeout(), settings.tls());
        this.listener = transport.listen(new ListenOptions(settings.bindHost(), settings.advertisedHost()), config,
                this::accept);
    }

    /** The address clients connect to, with the advertised host of the settings where one is set. */
    public String address() {
        return listener.address().toString();
    }

    /** Stops accepting new connections; open ones keep working. */
    public void stopAccepting() {
        listener.close();
    }

    /** Stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        listener.close();
        for (Session session : sessions) {
            // Answers already given (a shutdown's acknowledgement) go out before the close.
            session.writer.drain(1_000);
            session.channel.close();
        }
    }

    /** The number of open connections, for tests and diagnostics. */
    public int connectionCount() {
        return sessions.size();
    }

    private void accept(FrameChannel channel) {
        if (closed) {
            channel.close();
            return;
        }
        Session session = new Session(channel);
        sessions.add(session);
        session.handshakeDeadline = timer.schedule(session::handshakeTimedOut,
                settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        channel.start(session);
    }

    private enum State { AWAIT_HELLO, AWAIT_AUTH, PARKED, OPENING, OPEN, CLOSED }

    /** One connection's handshake and calls. Frames arrive on the channel's reading thread. */
    private final class Session implements FrameHandler {
        private final FrameChannel channel;
        private final FrameWriter writer;
        private final FrameAssembler assembler;
        /** How this connection's calls run: call slots and the receive budget. */
        private final ConnectionCalls running;
        private final ReceiveBudget budget;
        private final Map<Long, StreamCall> streams = new ConcurrentHashMap<>();
        private final ServerCalls calls = new ServerCalls(endpoint.name());
        private volatile State state = State.AWAIT_HELLO;
        private volatile ScheduledFuture<?> handshakeDeadline;
        private Messages.Hello hello;
        /** The identity this server proves on this connection: its own, read at the hello. */
        private ServerRole role;
        private String serverId;
        private byte[] serverNonce;
        private byte[] proofKey;
        private volatile Object connectionState;
        private volatile boolean control;
        private volatile boolean announced;
        private final long id = nextSessionId.incrementAndGet();
        /** The thread now in {@link #onFrame}, the channel's reader (changes when reading is handed off). */
        private volatile Thread reader;
        private final boolean inlineCalls;

        Session(FrameChannel channel) {
            this.channel = channel;
            this.writer = new FrameWriter(channel, settings.maxMessageSize(),
                    "rpc-parallel-write-" + channel.remoteAddress());
            this.running = new ConnectionCalls(settings, channel, writer, endpoint::name, () -> state != State.CLOSED,
                    () -> reader);
            this.budget = running.budget();
            this.assembler = new FrameAssembler(settings.maxMessageSize(), budget, () -> state != State.CLOSED,
                    writer::requestFlush);
            this.inlineCalls = channel.canHandOffReading();
        }

        @Override
        public void onFrame(Frame frame) {
            reader = Thread.currentThread();
            try {
                switch (state) {
                    case AWAIT_HELLO -> onHello(frame);
                    case AWAIT_AUTH -> onAuth(frame);
                    case OPEN -> onOpenFrame(frame);
                    case PARKED -> onAdopt(frame);
                    case OPENING, CLOSED -> refuse("sent " + frame.kind() + " before the connection was ready");
                }
            } catch (RuntimeException e) {
                refuse("sent a frame that could not be read: " + e);
            }
        }

        private void onHello(Frame frame) {
            if (frame.kind() != FrameKind.HELLO) {
                refuse("sent " + frame.kind() + " instead of HELLO");
                return;
            }
            hello = Messages.HELLO.decode(frame.payload());
            if (hello.clientNonce() == null || hello.clientNonce().length != SecretProof.NONCE_BYTES
                    || hello.targetId() == null || hello.targetRole() == null) {
                refuse("sent a malformed HELLO");
                return;
            }
            // The identity this server proves is its own, read once: a hello naming another is
            // refused before anything is proved, so no proof made here can pass for another server.
            role = endpoint.role();
            serverId = endpoint.id();
            if (hello.targetRole() != role || !serverId.equals(hello.targetId())) {
                reject(Messages.RemoteError.protocol("the server at this address is not "
                        + hello.targetRole().describe(hello.targetId()) + " (it has gone and its port was reused?)"));
                return;
            }
            serverNonce = SecretProof.nonce();
            proofKey = SecretProof.proofKey(secret, role, serverId);
            byte[] proof = SecretProof.serverProofWithKey(proofKey, role, serverId, hello.clientNonce(), serverNonce);
            state = State.AWAIT_AUTH;
            sendDirect(Frame.control(FrameKind.CHALLENGE, Messages.CHALLENGE.encode(new Messages.Challenge(serverNonce, proof))));
        }

        private void onAuth(Frame frame) {
            if (frame.kind() != FrameKind.AUTH) {
                refuse("sent " + frame.kind() + " instead of AUTH");
                return;
            }
            Messages.Auth auth = Messages.AUTH.decode(frame.payload());
            byte[] expected = SecretProof.clientProofWithKey(proofKey, role, serverId, hello.clientNonce(), serverNonce);
            if (!SecretProof.matches(expected, auth.clientProof())) {
                refuse("failed authentication: it does not know the application's secret or this "
                        + (role == ServerRole.WORKER ? "worker's" : "server's") + " key");
                return;
            }
            handshakeDeadline.cancel(false);
            if (hello.protocolVersion() != Messages.PROTOCOL_VERSION) {
                reject(Messages.RemoteError.protocol("protocol version " + hello.protocolVersion()
                        + " is not supported by " + endpoint.name() + ", which speaks version "
                        + Messages.PROTOCOL_VERSION + ": run both from the same rpc-parallel version"));
                return;
            }
            // A control connection to a worker calls its built-ins only (shutdown, heartbeat), which do
            // not depend on the plugin set: a tool that holds the worker's key, such as the CLI's
            // stop, need not load the application's plugins to shut it down.
            boolean builtinsOnly = auth.control() && role == ServerRole.WORKER;
            if (!builtinsOnly && !fingerprint.equals(hello.fingerprint())) {
                reject(new Messages.RemoteError(Messages.RemoteError.PROTOCOL, "protocol",
                        "different plugin sets: registry fingerprint " + hello.fingerprint() + " in the client, "
                                + fingerprint + " in " + endpoint.name(), "", registryDescription));
                return;
            }
            state = State.OPENING;
            channel.setMaxFrameSize(FrameWriter.maxFrameSize(settings.maxMessageSize()));
            if (auth.control()) {
                control = true;
                state = State.OPEN;
                sendDirect(Frame.control(FrameKind.READY, Frame.noPayload()));
                return;
            }
            if (auth.parked()) {
                if (!endpoint.parkLink()) {
                    reject(Messages.RemoteError.protocol(endpoint.name() + " takes no parked link: only an idle"
                            + " worker of a warm pool does, once, from its master"));
                    return;
                }
                state = State.PARKED;
                sendDirect(Frame.control(FrameKind.READY, Frame.noPayload()));
                return;
            }
            openConnection(auth.connectionArg(), false);
        }

        /** The second {@code AUTH} on a parked link: its connection argument, after the handover. */
        private void onAdopt(Frame frame) {
            if (frame.kind() != FrameKind.AUTH) {
                refuse("sent " + frame.kind() + " on a parked link instead of AUTH");
                return;
            }
            Messages.Auth auth = Messages.AUTH.decode(frame.payload());
            state = State.OPENING;
            // On this, the reading thread: nothing else can arrive on the link before READY, and
            // the adopting connect waits for it (a thread hand-off less on the way to ready).
            openConnection(auth.connectionArg(), true);
        }

        /** Runs the connection-state init (here or on the executor), then answers READY (or the init's error). */
        private void openConnection(byte[] connectionArg, boolean here) {
            Runnable open = () -> {
                try {
                    connectionState = endpoint.openConnection(connectionArg);
                } catch (Throwable e) {
                    reject(Messages.RemoteError.of("connection-state init", e));
                    return;
                }
                synchronized (this) {
                    if (state == State.CLOSED) {
                        return;
                    }
                    state = State.OPEN;
                    announced = true;
                }
                endpoint.connectionOpened(id);
                sendDirect(Frame.control(FrameKind.READY, Frame.noPayload()));
            };
            if (here) {
                open.run();
            } else {
                submit(open);
            }
        }

        /**
         * A frame whose payload is a slice of the channel's read buffer: on an open connection a
         * piece of a larger payload is copied straight into the payload being joined; anything
         * else is copied into a frame.
         */
        @Override
        public void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
            if (state != State.OPEN || !assembler.joins(kind, callId)) {
                FrameHandler.super.onFrame(kind, callId, functionId, buffer, offset, length);
                return;
            }
            reader = Thread.currentThread();
            try {
                Frame frame = assembler.accept(kind, callId, functionId, buffer, offset, length);
                if (frame != null) {
                    onWholeFrame(frame, frame.payload().length);
                }
            } catch (java.net.ProtocolException e) {
                refuse("sent too large a payload: " + e.getMessage());
            } catch (FrameAssembler.OverBudget e) {
                onOverBudget(e);
            } catch (RuntimeException e) {
                refuse("sent a frame that could not be read: " + e);
            }
        }

        private void onOpenFrame(Frame received) {
            if (assembler.joins(received.kind(), received.callId())) {
                byte[] payload = received.payload();
                onFrame(received.kind(), received.callId(), received.functionId(), payload, 0, payload.length);
                return;
            }
            onWholeFrame(received, 0);
        }

        /**
         * A frame of an open connection with its whole payload, joined if it came in pieces: then
         * its bytes are held in the budget ({@code reserved}), until its call has answered or, for
         * any other frame, until it has been handed on.
         */
        private void onWholeFrame(Frame frame, long reserved) {
            if (frame.kind() == FrameKind.CALL) {
                onCall(frame, reserved);
                return;
            }
            try {
                onStreamFrame(frame);
            } finally {
                budget.release(reserved);
            }
        }

        private void onStreamFrame(Frame frame) {
            StreamCall call = streams.get(frame.callId());
            switch (frame.kind()) {
                case DEADLINE -> {
                    try {
                        calls.announce(frame.callId(), frame.payload());
                    } catch (IllegalStateException e) {
                        refuse(e.getMessage());
                    }
                }
                case CANCEL -> {
                    calls.cancel(frame.callId(), "the caller");
                    if (call != null) {
                        call.onCancel("the caller");
                    }
                }
                case ELEMENT, END, CREDIT -> {
                    if (call == null) {
                        return; // the call has ended: what was in flight is dropped
                    }
                    switch (frame.kind()) {
                        case ELEMENT -> call.onUpdate(frame.payload());
                        case END -> call.onUpdatesEnd();
                        default -> call.onCredit(frame.payload());
                    }
                }
                default -> refuse("sent " + frame.kind() + " on an open connection");
            }
        }

        /** A payload larger than the whole receive budget was read and dropped: its call is refused. */
        private void onOverBudget(FrameAssembler.OverBudget e) {
            String what = e.kind() == FrameKind.CALL
                    ? "its encoded argument" : "an encoded element of stream " + e.callId();
            String why = budget.refusal(what, e.size(), endpoint.name());
            LOG.warn("{} refused a payload from {}: {}", endpoint.name(), channel.remoteAddress(), why);
            if (e.kind() == FrameKind.CALL) {
                send(new Frame(FrameKind.ERROR, e.callId(), 0, Messages.REMOTE_ERROR.encode(
                        Messages.RemoteError.protocol(why))));
                return;
            }
            StreamCall call = streams.get(e.callId());
            if (call != null) {
                call.fail(Messages.RemoteError.protocol(why));
            }
        }

        private void onCall(Frame frame, long reserved) {
            if (frame.functionId() <= 0 || control) {
                // Built-in (or refused, on a control connection): neither budget nor call slot,
                // so that it never waits behind calls.
                budget.release(reserved);
                onBuiltinOrUserCall(frame, 0);
                return;
            }
            long argBytes = reserved;
            if (argBytes == 0 && frame.payload().length > 0) {
                if (!running.reserveArgument(frame.payload().length, assembler.hasPartial())) {
                    return; // the connection closed while the reader waited
                }
                argBytes = frame.payload().length;
            }
            onBuiltinOrUserCall(frame, argBytes);
        }

        /** {@code argBytes}: the argument's bytes held in the budget, released once the call has answered. */
        private void onBuiltinOrUserCall(Frame frame, long argBytes) {
            long callId = frame.callId();
            int functionId = frame.functionId();
            switch (functionId) {
                case BuiltinFunctions.SHUTDOWN -> {
                    // Before the acknowledgement: once shutdown has returned, no new connection gets in.
                    stopAccepting();
                    sendDirect(new Frame(FrameKind.RESULT, callId, 0, Frame.noPayload()));
                    submit(endpoint::shutdownRequested);
                    return;
                }
                case BuiltinFunctions.CLOSE_SERVER -> {
                    stopAccepting();
                    LOG.info("{} stopped accepting connections; {} stay open", endpoint.name(), sessions.size());
                    send(new Frame(FrameKind.RESULT, callId, 0, Frame.noPayload()));
                    return;
                }
                case BuiltinFunctions.LOGS -> {
                    StreamCall call = openStream(callId, BuiltinFunctions.describeId(functionId));
                    submit(() -> WorkerLogs.serve(call));
                    return;
                }
                default -> { }
            }
            if (control && functionId > 0) {
                send(new Frame(FrameKind.ERROR, callId, 0, Messages.REMOTE_ERROR.encode(Messages.RemoteError.protocol(
                        "a control connection may call built-in functions only, not function #" + functionId))));
                return;
            }
            FunctionKind kind = endpoint.kind(functionId);
            if (functionId <= 0) {
                // A built-in the endpoint serves (registration, heartbeats): on this thread, as before.
                ServerCall served = calls.open(callId, () -> endpoint.describeFunction(functionId));
                if (inlineCalls) {
                    runInline(served, functionId, frame.payload());
                } else {
                    submit(() -> reply(answer(served, functionId, frame.payload())));
                }
                return;
            }
            byte[] arg = frame.payload();
            switch (kind) {
                case RPC -> {
                    ServerCall served = calls.open(callId, () -> endpoint.describeFunction(functionId));
                    running.rpc(callId, () -> endpoint.describeFunction(functionId),
                            () -> answer(served, functionId, arg), argBytes);
                }
                case ONE_WAY -> running.oneWay(callId, () -> endpoint.oneWay(functionId, arg, connectionState), argBytes);
                default -> {
                    String label = endpoint.describeFunction(functionId);
                    ServerCall served = calls.open(callId, () -> label);
                    StreamCall call = openStream(callId, label, served);
                    // A stream takes no call slot (its producer and consumer may wait on each
                    // other), and gives its argument's bytes back as it starts: it may run for
                    // long, and its elements have windows of their own.
                    submit(() -> {
                        budget.release(argBytes);
                        try (ServerCall.Running running = served.enter()) {
                            endpoint.serveStream(functionId, frame.payload(), connectionState, call);
                        } catch (Throwable e) {
                            if (!call.isCancelled()) {
                                call.fail(Messages.RemoteError.of(label, e));
                            }
                        }
                    });
                }
            }
        }

        /**
         * Runs an rpc call on this, the reading thread, and writes its answer; if the call takes
         * too long, the watchdog lets another thread read on meanwhile.
         */
        private void runInline(ServerCall served, int functionId, byte[] arg) {
            InlineCalls.Call inline = InlineCalls.start(channel, () -> endpoint.describeFunction(functionId));
            Frame reply;
            try {
                reply = answer(served, functionId, arg);
            } catch (Throwable e) {
                inline.finish();
                throw e;
            }
            // Written before finish(): a write blocked on a peer that reads slowly is covered by
            // the watchdog too. Unflushed: the channel flushes once it has no more input.
            if (reply != null) {
                send(reply, FrameWriter.Mode.INLINE_DEFERRED_FLUSH);
            }
            inline.finish();
        }

        /** Sends an answer; {@code null} (a cancelled call's) sends nothing. */
        private void reply(Frame answer) {
            if (answer != null) {
                send(answer);
            }
        }

        /**
         * Runs an rpc call; its answer: the result, or the error it threw; {@code null} if the
         * call was cancelled (its caller has stopped waiting: nothing is sent).
         */
        private Frame answer(ServerCall served, int functionId, byte[] arg) {
            long callId = served.callId();
            try {
                byte[] result;
                try (ServerCall.Running running = served.enter()) {
                    if (served.isCancelled()) {
                        return null; // cancelled while it waited for a thread: it does not run
                    }
                    result = endpoint.call(functionId, arg, connectionState);
                }
                if (served.isCancelled()) {
                    return null;
                }
                if (result.length > settings.maxMessageSize()) {
                    return new Frame(FrameKind.ERROR, callId, 0, Messages.REMOTE_ERROR.encode(
                            Messages.RemoteError.tooLarge(endpoint.name() + " cannot send the result of "
                                    + endpoint.describeFunction(functionId) + ": " + result.length
                                    + " bytes, over the maximum message size of " + settings.maxMessageSize()
                                    + " bytes (RpcSettings.maxMessageSize: raise it, or send large data in pieces"
                                    + " through a pipe)")));
                }
                return new Frame(FrameKind.RESULT, callId, 0, result);
            } catch (Throwable e) {
                if (served.isCancelled()) {
                    return null; // most likely the interrupt of the cancellation
                }
                Messages.RemoteError error = Messages.RemoteError.of(endpoint.describeFunction(functionId), e);
                return new Frame(FrameKind.ERROR, callId, 0, Messages.REMOTE_ERROR.encode(error));
            } finally {
                calls.ended(served);
            }
        }

        private StreamCall openStream(long callId, String label) {
            StreamCall call = new StreamCall(callId, label + " of " + endpoint.name(), StreamLimits.of(settings),
                    this::send, () -> streams.remove(callId));
            streams.put(callId, call);
            return call;
        }

        /** A stream that is cancelled with its {@link ServerCall}, which ends with it. */
        private StreamCall openStream(long callId, String label, ServerCall served) {
            StreamCall call = new StreamCall(callId, label + " of " + endpoint.name(), StreamLimits.of(settings),
                    this::send, () -> {
                streams.remove(callId);
                calls.ended(served);
            });
            streams.put(callId, call);
            served.onCancel(() -> call.onCancel(served.cancelledBy()));
            return call;
        }

        private void submit(Runnable task) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        }

        /**
         * Sends an answer, fairly with the connection's other answers and streams: on this
         * thread if the writer is idle, unless this is the reading thread, which must not block
         * on the socket; stream elements are flushed in batches by the writer thread.
         */
        private void send(Frame frame) {
            send(frame, Thread.currentThread() == reader ? FrameWriter.Mode.QUEUE
                    : frame.kind() == FrameKind.ELEMENT ? FrameWriter.Mode.INLINE_LATER_FLUSH : FrameWriter.Mode.INLINE);
        }

        private void send(Frame frame, FrameWriter.Mode mode) {
            try {
                writer.send(frame, mode);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Cannot answer {} on {}: {}", channel.remoteAddress(), endpoint.name(), e.toString());
                if (e instanceof IllegalArgumentException && frame.kind() != FrameKind.ERROR) {
                    // Too large: tell the caller instead of leaving it waiting.
                    send(new Frame(FrameKind.ERROR, frame.callId(), 0, Messages.REMOTE_ERROR.encode(
                            Messages.RemoteError.protocol(endpoint.name() + " cannot send its answer: " + e.getMessage()))),
                            mode);
                    return;
                }
                channel.close();
            }
        }

        /** Sends a handshake frame at once, ahead of anything queued. */
        private void sendDirect(Frame frame) {
            try {
                channel.send(frame);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Cannot answer {} on {}: {}", channel.remoteAddress(), endpoint.name(), e.toString());
                channel.close();
            }
        }

        /**
         * Tells a client why it is refused, then closes: an authenticated one, or one whose
         * hello names another server (the text says only what its hello said).
         */
        private void reject(Messages.RemoteError error) {
            LOG.warn("{} refused a connection from {}: {}", endpoint.name(), channel.remoteAddress(), error.message());
            sendDirect(Frame.control(FrameKind.ERROR, Messages.REMOTE_ERROR.encode(error)));
            state = State.CLOSED;
            channel.close();
        }

        /** Closes a connection that broke the protocol or failed to authenticate; it learns nothing. */
        private void refuse(String why) {
            LOG.warn("{} closed a connection from {} that {}", endpoint.name(), channel.remoteAddress(), why);
            state = State.CLOSED;
            channel.close();
        }

        private void handshakeTimedOut() {
            if (state == State.AWAIT_HELLO || state == State.AWAIT_AUTH) {
                refuse("did not authenticate within " + settings.handshakeTimeout().toMillis() + " ms");
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            boolean wasAnnounced;
            synchronized (this) {
                state = State.CLOSED;
                wasAnnounced = announced;
                announced = false;
            }
            sessions.remove(this);
            if (wasAnnounced) {
                endpoint.connectionClosed(id);
            }
            writer.close();
            assembler.close();
            running.closed();
            String reason = cause == null ? "was closed" : "was lost (" + cause + ")";
            for (StreamCall call : streams.values()) {
                call.onConnectionClosed(reason);
            }
            calls.cancelAll("the loss of its connection");
            ScheduledFuture<?> deadline = handshakeDeadline;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (cause != null && !(cause instanceof EOFException)) {
                LOG.debug("Connection from {} to {} closed: {}", channel.remoteAddress(), endpoint.name(), cause.toString());
            }
        }
    }
}
