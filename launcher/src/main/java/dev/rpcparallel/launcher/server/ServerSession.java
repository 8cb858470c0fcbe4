package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.logging.WorkerLogs;
import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.FrameAssembler;
import dev.rpcparallel.launcher.protocol.FrameWriter;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.ReceiveBudget;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import dev.rpcparallel.launcher.protocol.WriterCallbacks;
import dev.rpcparallel.launcher.protocol.handshake.ServerHandshake;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameHandler;
import dev.rpcparallel.spi.transport.FrameKind;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One connection of an {@link RpcServer}: its handshake ({@link ServerHandshake}), then its
 * calls, each started the way its {@link ServerMethod}'s shape asks. Frames arrive on the
 * channel's reading thread, straight from the transport: a piece of a large payload is copied
 * into the payload being joined, any other frame handled where it arrives.
 */
final class ServerSession implements FrameHandler, ServerHandshake.Session {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log { static final Logger LOG = LogManager.getLogger(ServerSession.class); }

    private enum State { HANDSHAKE, OPENING, OPEN, CLOSED }

    private final RpcServer server;
    private final Endpoint endpoint;
    private final RpcSettings settings;
    private final FrameChannel channel;
    private final FrameWriter writer;
    private final FrameAssembler assembler;
    private final ServerHandshake handshake;
    /** How this connection's calls run: call slots and the receive budget. */
    private final ConnectionCalls running;
    private final ReceiveBudget budget;
    private final StreamCalls streams;
    private final ServerCalls calls;
    private final CallDispatch dispatch;
    private final EndpointBuiltins builtins;
    private final long id;
    private volatile State state = State.HANDSHAKE;
    private volatile ScheduledFuture<?> handshakeDeadline;
    private volatile Object connectionState;
    private volatile boolean control;
    private volatile boolean announced;

    ServerSession(RpcServer server, FrameChannel channel, long id) {
        this.server = server;
        this.endpoint = server.endpoint();
        this.settings = server.settings();
        this.channel = channel;
        this.id = id;
        this.writer = new FrameWriter(channel, settings.maxMessageSize(), "rpc-parallel-write-" + channel.remoteAddress());
        SessionHooks.EndpointName name = new SessionHooks.EndpointName(endpoint);
        SessionHooks.Open open = new SessionHooks.Open(this);
        this.running = new ConnectionCalls(settings, channel, writer, name, open);
        this.budget = running.budget();
        this.assembler = new FrameAssembler(settings.maxMessageSize(), budget, open,
                WriterCallbacks.requestFlush(writer));
        this.handshake = new ServerHandshake(server.secret(), server.fingerprint(), server.registryDescription(),
                name, this);
        this.calls = new ServerCalls(endpoint.name());
        this.streams = new StreamCalls(endpoint, StreamLimits.of(settings), calls, new SessionHooks.Send(this));
        this.dispatch = new CallDispatch(endpoint, running, calls, streams,
                new SessionHooks.ConnectionState(this), new SessionHooks.Submit(this));
        this.builtins = new EndpointBuiltins(this, endpoint, channel, calls, dispatch, channel.canHandOffReading());
    }

    void startHandshakeDeadline(ScheduledFuture<?> deadline) {
        this.handshakeDeadline = deadline;
    }

    /** Sends what was answered (a shutdown's acknowledgement), then closes. */
    void drainAndClose() {
        writer.drain(1_000);
        channel.close();
    }

    // ---------------------------------------------------------------- frames in

    @Override
    public void onFrame(Frame frame) {
        byte[] payload = frame.payload();
        onFrame(frame.kind(), frame.callId(), frame.functionId(), payload, 0, payload.length, frame);
    }

    /**
     * A frame whose payload is a slice of the channel's read buffer: on an open connection a
     * piece of a larger payload is copied straight into the payload being joined; anything
     * else is copied into a frame.
     */
    @Override
    public void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
        onFrame(kind, callId, functionId, buffer, offset, length, null);
    }

    /** {@code whole}: the frame itself when the payload is not a slice, else {@code null}. */
    private void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length,
            Frame whole) {
        writer.readBy(Thread.currentThread());
        try {
            State now = state;
            if (now == State.OPEN && assembler.joins(kind, callId)) {
                Frame joined = assembler.accept(kind, callId, functionId, buffer, offset, length);
                if (joined != null) {
                    onWholeFrame(joined, joined.payload().length);
                }
                return;
            }
            Frame frame = whole != null ? whole : Payloads.frame(kind, callId, functionId, buffer, offset, length);
            switch (now) {
                case HANDSHAKE -> handshake.onFrame(frame, endpoint.role(), endpoint.id());
                case OPEN -> onWholeFrame(frame, 0);
                case OPENING, CLOSED -> refuse("sent " + frame.kind() + " before the connection was ready");
            }
        } catch (java.net.ProtocolException e) {
            refuse("sent too large a payload: " + e.getMessage());
        } catch (FrameAssembler.OverBudget e) {
            onOverBudget(e);
        } catch (RuntimeException e) {
            refuse("sent a frame that could not be read: " + e);
        }
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
                    streams.cancel(frame.callId(), "the caller");
                }
                case ELEMENT, END, CREDIT -> streams.onFrame(frame);
                default -> refuse("sent " + frame.kind() + " on an open connection");
            }
        } finally {
            budget.release(reserved);
        }
    }

    /** A payload larger than the whole receive budget was read and dropped: its call is refused. */
    private void onOverBudget(FrameAssembler.OverBudget e) {
        String what = e.kind() == FrameKind.CALL
                ? "its encoded argument" : "an encoded element of stream " + e.callId();
        String why = budget.refusal(what, e.size(), endpoint.name());
        Log.LOG.warn("{} refused a payload from {}: {}", endpoint.name(), channel.remoteAddress(), why);
        if (e.kind() == FrameKind.CALL) {
            send(CallDispatch.error(e.callId(), Messages.RemoteError.protocol(why)));
            return;
        }
        streams.fail(e.callId(), Messages.RemoteError.protocol(why));
    }

    private void onCall(Frame frame, long reserved) {
        if (frame.functionId() <= 0 || control) {
            // Built-in (or refused, on a control connection): neither budget nor call slot,
            // so that it never waits behind calls.
            budget.release(reserved);
            onBuiltinOrRefused(frame);
            return;
        }
        long argBytes = reserved;
        if (argBytes == 0 && frame.payload().length > 0) {
            if (!running.reserveArgument(frame.payload().length, assembler.hasPartial())) {
                return; // the connection closed while the reader waited
            }
            argBytes = frame.payload().length;
        }
        endpoint.method(frame.functionId()).start(dispatch, frame.callId(), frame.payload(), argBytes);
    }

    private void onBuiltinOrRefused(Frame frame) {
        long callId = frame.callId();
        int functionId = frame.functionId();
        switch (functionId) {
            case BuiltinFunctions.SHUTDOWN -> {
                // Before the acknowledgement: once shutdown has returned, no new connection gets in.
                server.stopAccepting();
                sendNow(new Frame(FrameKind.RESULT, callId, 0, Frame.noPayload()));
                submit(endpoint::shutdownRequested);
                return;
            }
            case BuiltinFunctions.CLOSE_SERVER -> {
                server.stopAccepting();
                Log.LOG.info("{} stopped accepting connections; {} stay open", endpoint.name(), server.connectionCount());
                send(new Frame(FrameKind.RESULT, callId, 0, Frame.noPayload()));
                return;
            }
            case BuiltinFunctions.DESCRIBE -> { send(DescribeBuiltin.answer(callId, endpoint, server.fingerprint())); return; }
            case BuiltinFunctions.LOGS -> {
                StreamCall call = streams.open(callId, BuiltinFunctions.describeId(functionId));
                submit(() -> WorkerLogs.serve(call));
                return;
            }
            default -> { }
        }
        if (functionId > 0) {
            send(CallDispatch.error(callId, Messages.RemoteError.protocol(
                    "a control connection may call built-in functions only, not function #" + functionId)));
            return;
        }
        builtins.start(frame);
    }

    boolean isOpen() { return state != State.CLOSED; }

    Object connectionState() { return connectionState; }

    void submit(Runnable task) {
        if (!server.submit(task)) {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- frames out

    /** Sends an answer or stream frame; the {@link FrameWriter} decides who writes and flushes. */
    void send(Frame frame) {
        try {
            writer.send(frame);
        } catch (IOException | RuntimeException e) {
            cannotSend(frame, e);
        }
    }

    private void cannotSend(Frame frame, Exception e) {
        Log.LOG.debug("Cannot answer {} on {}: {}", channel.remoteAddress(), endpoint.name(), e.toString());
        if (e instanceof IllegalArgumentException && frame.kind() != FrameKind.ERROR) {
            // Too large: tell the caller instead of leaving it waiting.
            send(CallDispatch.error(frame.callId(), Messages.RemoteError.protocol(endpoint.name() + " cannot send its answer: "
                    + e.getMessage())));
            return;
        }
        channel.close();
    }

    // ---------------------------------------------------------------- the handshake's session

    @Override
    public void sendNow(Frame frame) {
        sendFlushed(frame);
    }

    /**
     * Writes a frame and flushes it at once, ahead of anything queued; closes the connection if
     * it cannot.
     *
     * @return whether it was sent
     */
    boolean sendFlushed(Frame frame) {
        try {
            channel.send(frame);
            return true;
        } catch (IOException | RuntimeException e) {
            Log.LOG.debug("Cannot answer {} on {}: {}", channel.remoteAddress(), endpoint.name(), e.toString());
            channel.close();
            return false;
        }
    }

    @Override
    public void reject(Messages.RemoteError error) {
        Log.LOG.warn("{} refused a connection from {}: {}", endpoint.name(), channel.remoteAddress(), error.message());
        sendNow(Frame.control(FrameKind.ERROR, Messages.REMOTE_ERROR.encode(error)));
        state = State.CLOSED;
        channel.close();
    }

    @Override
    public void refuse(String why) {
        Log.LOG.warn("{} closed a connection from {} that {}", endpoint.name(), channel.remoteAddress(), why);
        state = State.CLOSED;
        channel.close();
    }

    @Override
    public void authenticated() {
        handshakeDeadline.cancel(false);
    }

    @Override
    public boolean takesDeferredLink() {
        return endpoint.parkLink();
    }

    @Override
    public void openControl() {
        channel.setMaxFrameSize(FrameWriter.maxFrameSize(settings.maxMessageSize()));
        control = true;
        state = State.OPEN;
        sendNow(Frame.control(FrameKind.READY, Frame.noPayload()));
    }

    @Override
    public void parked() {
        channel.setMaxFrameSize(FrameWriter.maxFrameSize(settings.maxMessageSize()));
        sendNow(Frame.control(FrameKind.READY, Frame.noPayload()));
    }

    /** Runs the connection-state init on this, the reading thread, then answers READY (or the init's error). */
    @Override
    public void open(byte[] connectionArg) {
        state = State.OPENING;
        channel.setMaxFrameSize(FrameWriter.maxFrameSize(settings.maxMessageSize()));
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
        sendNow(Frame.control(FrameKind.READY, Frame.noPayload()));
    }

    void handshakeTimedOut() {
        if (state == State.HANDSHAKE && handshake.authenticating()) {
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
        server.removed(this);
        if (wasAnnounced) {
            endpoint.connectionClosed(id);
        }
        writer.close();
        assembler.close();
        running.closed();
        streams.connectionClosed(cause == null ? "was closed" : "was lost (" + cause + ")");
        calls.cancelAll("the loss of its connection");
        ScheduledFuture<?> deadline = handshakeDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (cause != null && !(cause instanceof EOFException)) {
            Log.LOG.debug("Connection from {} to {} closed: {}", channel.remoteAddress(), endpoint.name(), cause.toString());
        }
    }
}
