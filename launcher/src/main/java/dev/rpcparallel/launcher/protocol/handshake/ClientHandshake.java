package dev.rpcparallel.launcher.protocol.handshake;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of the handshake (HELLO, CHALLENGE, AUTH, READY) on one channel: proves the
 * key to the server of that role and id, and checks its proof of the same identity, so nothing
 * of the application (connection argument, calls) is sent to a server that has not proved it is
 * the one meant. The proof covers the identity, so a challenge relayed from any other server of
 * the application fails the check like a forged one. Runs on the connecting thread; the
 * server's frames come through {@code inbox} from the channel's reading thread (a frame, or the
 * cause of the channel's loss).
 */
public final class ClientHandshake {
    private final FrameChannel channel;
    private final BlockingQueue<Object> inbox;
    private final RpcSettings settings;
    private final WorkerRef server;
    private final ServerRole role;

    public ClientHandshake(FrameChannel channel, BlockingQueue<Object> inbox, RpcSettings settings, WorkerRef server,
            ServerRole role) {
        this.channel = channel;
        this.inbox = inbox;
        this.settings = settings;
        this.server = server;
        this.role = role;
    }

    /**
     * Runs the handshake up to the server's answer to AUTH.
     *
     * @return that answer: READY, or an ERROR saying why not ({@link #finish} reads it)
     * @throws ConnectionException if the server does not prove the identity, or the handshake
     *     breaks or times out
     */
    public Frame authenticate(HandshakeKey key, String fingerprint, byte[] connectionArg,
            boolean control, boolean deferred) {
        long deadline = System.nanoTime() + settings.handshakeTimeout().toNanos();
        byte[] clientNonce = SecretProof.nonce();
        String serverId = server.id();
        byte[] proofKey = key.forServer(role, serverId);
        send(Frame.control(FrameKind.HELLO, Messages.HELLO.encode(
                new Messages.Hello(Messages.PROTOCOL_VERSION, clientNonce, serverId, fingerprint, role))));
        Frame challengeFrame = await(deadline);
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
        send(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(
                new Messages.Auth(proof, connectionArg, control, deferred))));
        return await(deadline);
    }

    /**
     * Sends the connection argument on a link authenticated with {@code deferred} set, and
     * waits for the answer.
     *
     * @return the answer (READY or ERROR, for {@link #finish}), or {@code null} if the link broke
     *     before (nothing was opened); the channel is closed then
     * @throws ConnectionException if no answer comes in time, or the wait is interrupted
     */
    public Frame openDeferred(byte[] connectionArg) {
        long deadline = System.nanoTime() + settings.handshakeTimeout().toNanos();
        try {
            channel.send(Frame.control(FrameKind.AUTH, Messages.AUTH.encode(
                    new Messages.Auth(new byte[0], connectionArg, false))));
        } catch (IOException e) {
            channel.close();
            return null;
        }
        Object next;
        try {
            next = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw failure("interrupted during the connection-state init");
        }
        if (next instanceof Throwable) {
            return null; // it broke: the caller connects afresh, and learns there why if the worker is gone
        }
        if (next == null) {
            channel.close();
            throw failure("no answer to the connection argument within " + settings.handshakeTimeout().toMillis() + " ms");
        }
        return (Frame) next;
    }

    /**
     * Reads the handshake's last answer: READY opens the connection; an ERROR says why not.
     *
     * @param registryDescription this process's registry, to explain a plugin-set mismatch
     * @throws ConnectionException if it is not READY
     */
    public void finish(Frame answer, String registryDescription) {
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
            RemoteException remote = new RemoteException(server.name(), error.origin(), error.type(), error.message(),
                    error.stackTrace());
            throw new ConnectionException("Cannot connect to " + role.named(server.name()) + ": its "
                    + error.origin() + " threw " + error.type() + (error.message() == null ? "" : ": " + error.message()),
                    remote);
        }
        if (answer.kind() != FrameKind.READY) {
            throw failure("it answered " + answer.kind() + " instead of READY");
        }
    }

    private static String refusalBeforeProof(Frame error) {
        try {
            return Messages.REMOTE_ERROR.decode(error.payload()).message();
        } catch (RuntimeException e) {
            return "it answered an ERROR that cannot be read instead of CHALLENGE";
        }
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "  (none)\n" : lines.indent(2);
    }

    private void send(Frame frame) {
        try {
            channel.send(frame);
        } catch (IOException e) {
            throw failure("the connection broke during the handshake: " + e.getMessage());
        }
    }

    private Frame await(long deadline) {
        Object next;
        try {
            next = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
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
                    + "); is the address that of a " + role.noun() + " of this application?");
        }
        return (Frame) next;
    }

    /** A failure to connect, naming the server and why. */
    public ConnectionException failure(String why) {
        return new ConnectionException("Cannot connect to " + role.named(server.name()) + " at " + server.address()
                + ": " + why);
    }
}
