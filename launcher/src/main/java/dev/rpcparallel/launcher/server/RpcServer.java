package dev.rpcparallel.launcher.server;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ReceiveBudget;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.spi.transport.ChannelAcceptor;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves one {@link Endpoint} on a transport listener, one {@link ServerSession} per connection.
 * Every accepted connection must complete
 * the handshake (both sides prove the application's secret, then the plugin sets are compared)
 * within the handshake timeout; until then its frames are limited to
 * {@link Messages#UNAUTHENTICATED_FRAME_LIMIT} bytes and no payload of the application is decoded.
 * Calls (rpc and one-way) run through the process's bounded {@link CallExecutor}, their arguments
 * held in its {@link ReceiveBudget} from their arrival until their answer is written: the reading
 * thread waits (and so stops reading the connection) while a new argument would exceed the
 * budget. An rpc call runs on the connection's reading thread when a slot is free and no call
 * waits, and its answer is written there too, so a short call costs no thread hand-off; if it
 * runs longer than a moment, another thread reads the connection's next frames
 * ({@link InlineCalls}), so a slow call never holds up the others for long. Built-in functions
 * take neither slot nor budget; streams run on the executor. A connection-state init runs on the
 * reading thread, which has nothing else to read before it answers READY.
 * A call can be cancelled while it waits or runs, by its caller or its deadline
 * ({@link ServerCalls}): then no answer is sent.
 */
public final class RpcServer implements AutoCloseable {

    private final Endpoint endpoint;
    private final RpcSettings settings;
    private final byte[] secret;
    private final String fingerprint;
    private final String registryDescription;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final TransportListener listener;
    private final Set<ServerSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextSessionId = new AtomicLong();
    private volatile boolean closed;

    /**
     * Starts listening on {@code settings.bindHost()} of the context, any free port. A client
     * with another registry fingerprint than the context's is refused, and told the context's
     * registry description.
     */
    public RpcServer(SessionContext context, Endpoint endpoint, ExecutorService executor,
            ScheduledExecutorService timer) throws IOException {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.settings = context.settings();
        this.secret = context.secret();
        this.fingerprint = context.fingerprint();
        this.registryDescription = context.registryDescription();
        this.executor = requireNonNull(executor, "executor");
        this.timer = requireNonNull(timer, "timer");
        TransportConfig config = new TransportConfig(Messages.UNAUTHENTICATED_FRAME_LIMIT, settings.connectTimeout(), settings.tls());
        this.listener = context.transport().listen(new ListenOptions(settings.bindHost(), settings.advertisedHost()),
                config, new Acceptor(this));
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
        for (ServerSession session : sessions) {
            // Answers already given (a shutdown's acknowledgement) go out before the close.
            session.drainAndClose();
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
        ServerSession session = new ServerSession(this, channel, nextSessionId.incrementAndGet());
        sessions.add(session);
        session.startHandshakeDeadline(timer.schedule(new SessionHooks.HandshakeDeadline(session),
                settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        channel.start(session);
    }

    void removed(ServerSession session) {
        sessions.remove(session);
    }

    /** Runs {@code task} on the server's executor; false if it refused it (shut down). */
    boolean submit(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    Endpoint endpoint() {
        return endpoint;
    }

    RpcSettings settings() {
        return settings;
    }

    /** The application's secret; not copied: sessions only read it. */
    byte[] secret() {
        return secret;
    }

    String fingerprint() {
        return fingerprint;
    }

    String registryDescription() {
        return registryDescription;
    }

    /** Takes each connection the listener accepts ({@link #accept}): a named class, not a lambda to link at start. */
    private static final class Acceptor implements ChannelAcceptor {
        private final RpcServer server;

        Acceptor(RpcServer server) {
            this.server = server;
        }

        @Override
        public void accept(FrameChannel channel) {
            server.accept(channel);
        }
    }
}
