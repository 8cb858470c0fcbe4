package dev.rpcparallel.launcher.protocol.handshake;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.function.Supplier;

/**
 * The server's side of the handshake on one connection: reads the client's HELLO, proves this
 * server's identity (its role and id, read once at the hello) with a CHALLENGE, checks the
 * client's proof in its AUTH, then the protocol version and the plugin sets; a deferred link
 * (a warm pool's parked link) gets its connection argument in a second AUTH. What follows each
 * step is the session's ({@link Session}). Used by the connection's reading thread only.
 */
public final class ServerHandshake {
    /** What the handshake asks of its session. */
    public interface Session {
        /** Sends a handshake frame at once, ahead of anything queued. */
        void sendNow(Frame frame);

        /** Tells the client why it is refused, then closes. */
        void reject(Messages.RemoteError error);

        /** Closes a connection that broke the protocol or failed to authenticate; it learns nothing. */
        void refuse(String why);

        /** The client proved the key: the handshake deadline no longer applies. */
        void authenticated();

        /** Whether this server takes a deferred link now (an idle worker of a warm pool, once). */
        boolean takesDeferredLink();

        /** A control connection is open (READY to be sent by the session). */
        void openControl();

        /** A deferred link is authenticated and waits for its connection argument (READY to be sent). */
        void parked();

        /**
         * Opens the connection with its argument: runs the connection-state init on this, the
         * reading thread, then answers READY (or the init's error). Nothing else can arrive on
         * the connection before READY, and its client waits for it: a hand-off to another thread
         * would only add a wake-up (and, in a worker just started, a thread's start) on the way
         * to its first call.
         */
        void open(byte[] connectionArg);
    }

    private enum Step { AWAIT_HELLO, AWAIT_AUTH, PARKED, DONE }

    private final byte[] secret;
    private final String fingerprint;
    private final String registryDescription;
    private final Supplier<String> serverName;
    private final Session session;
    private Step step = Step.AWAIT_HELLO;
    private Messages.Hello hello;
    /** The identity this server proves on this connection: its own, read at the hello. */
    private ServerRole role;
    private String serverId;
    private byte[] serverNonce;
    private byte[] proofKey;

    /**
     * @param secret the application's secret (not copied: the caller keeps it unchanged)
     * @param fingerprint this process's registry fingerprint; a client with another is refused
     * @param registryDescription this process's registry, sent to a refused client to explain
     * @param serverName who serves, for errors: {@code "worker 'w'"}
     */
    public ServerHandshake(byte[] secret, String fingerprint, String registryDescription, Supplier<String> serverName,
            Session session) {
        this.secret = secret;
        this.fingerprint = fingerprint;
        this.registryDescription = registryDescription;
        this.serverName = serverName;
        this.session = session;
    }

    /** Whether the client has yet to authenticate (the handshake deadline applies). */
    public boolean authenticating() {
        return step == Step.AWAIT_HELLO || step == Step.AWAIT_AUTH;
    }

    /** Whether the handshake has ended: every frame from now on is the open connection's. */
    public boolean done() {
        return step == Step.DONE;
    }

    /**
     * A frame of the handshake.
     *
     * @param role this server's role, read at the hello
     * @param serverId this server's id, read at the hello
     */
    public void onFrame(Frame frame, ServerRole role, String serverId) {
        switch (step) {
            case AWAIT_HELLO -> onHello(frame, role, serverId);
            case AWAIT_AUTH -> onAuth(frame);
            case PARKED -> onDeferredAuth(frame);
            case DONE -> throw new IllegalStateException("the handshake is over");
        }
    }

    private void onHello(Frame frame, ServerRole ownRole, String ownId) {
        if (frame.kind() != FrameKind.HELLO) {
            session.refuse("sent " + frame.kind() + " instead of HELLO");
            return;
        }
        hello = Messages.HELLO.decode(frame.payload());
        if (hello.clientNonce() == null || hello.clientNonce().length != SecretProof.NONCE_BYTES
                || hello.targetId() == null || hello.targetRole() == null) {
            session.refuse("sent a malformed HELLO");
            return;
        }
        // The identity this server proves is its own, read once: a hello naming another is
        // refused before anything is proved, so no proof made here can pass for another server.
        role = ownRole;
        serverId = ownId;
        if (hello.targetRole() != role || !serverId.equals(hello.targetId())) {
            session.reject(Messages.RemoteError.protocol("the server at this address is not "
                    + hello.targetRole().describe(hello.targetId()) + " (it has gone and its port was reused?)"));
            return;
        }
        serverNonce = SecretProof.nonce();
        proofKey = SecretProof.proofKey(secret, role, serverId);
        byte[] proof = SecretProof.serverProofWithKey(proofKey, role, serverId, hello.clientNonce(), serverNonce);
        step = Step.AWAIT_AUTH;
        session.sendNow(Frame.control(FrameKind.CHALLENGE,
                Messages.CHALLENGE.encode(new Messages.Challenge(serverNonce, proof))));
    }

    private void onAuth(Frame frame) {
        if (frame.kind() != FrameKind.AUTH) {
            session.refuse("sent " + frame.kind() + " instead of AUTH");
            return;
        }
        Messages.Auth auth = Messages.AUTH.decode(frame.payload());
        byte[] expected = SecretProof.clientProofWithKey(proofKey, role, serverId, hello.clientNonce(), serverNonce);
        if (!SecretProof.matches(expected, auth.clientProof())) {
            session.refuse("failed authentication: it does not know the application's secret or this "
                    + (role == ServerRole.WORKER ? "worker's" : "server's") + " key");
            return;
        }
        step = Step.DONE;
        session.authenticated();
        if (hello.protocolVersion() != Messages.PROTOCOL_VERSION) {
            session.reject(Messages.RemoteError.protocol("protocol version " + hello.protocolVersion()
                    + " is not supported by " + serverName.get() + ", which speaks version "
                    + Messages.PROTOCOL_VERSION + ": run both from the same rpc-parallel version"));
            return;
        }
        // A control connection to a worker calls its built-ins only (shutdown, heartbeat), which do
        // not depend on the plugin set: a tool that holds the worker's key, such as the CLI's
        // stop, need not load the application's plugins to shut it down.
        boolean builtinsOnly = auth.control() && role == ServerRole.WORKER;
        if (!builtinsOnly && !fingerprint.equals(hello.fingerprint())) {
            session.reject(new Messages.RemoteError(Messages.RemoteError.PROTOCOL, "protocol",
                    "different plugin sets: registry fingerprint " + hello.fingerprint() + " in the client, "
                            + fingerprint + " in " + serverName.get(), "", registryDescription));
            return;
        }
        if (auth.control()) {
            session.openControl();
            return;
        }
        if (auth.parked()) {
            if (!session.takesDeferredLink()) {
                session.reject(Messages.RemoteError.protocol(serverName.get() + " takes no parked link: only an idle"
                        + " worker of a warm pool does, once, from its master"));
                return;
            }
            step = Step.PARKED;
            session.parked();
            return;
        }
        session.open(auth.connectionArg());
    }

    /** The second {@code AUTH} on a deferred link: its connection argument, after the handover. */
    private void onDeferredAuth(Frame frame) {
        if (frame.kind() != FrameKind.AUTH) {
            session.refuse("sent " + frame.kind() + " on a parked link instead of AUTH");
            return;
        }
        Messages.Auth auth = Messages.AUTH.decode(frame.payload());
        step = Step.DONE;
        session.open(auth.connectionArg());
    }
}
