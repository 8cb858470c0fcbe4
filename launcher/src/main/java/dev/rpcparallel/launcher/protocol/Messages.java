package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.MessageTooLargeException;
import dev.rpcparallel.api.RpcParallelException;

/**
 * The runtime's control messages, carried in frame payloads and encoded like every other
 * payload, with record codecs (Thrift compact protocol).
 */
public final class Messages {
    /** Bumped when the handshake or the meaning of frames changes incompatibly. */
    public static final int PROTOCOL_VERSION = 3;
    /** The largest frame a peer may send before it has authenticated. */
    public static final int UNAUTHENTICATED_FRAME_LIMIT = 16 * 1024;

    private Messages() {}

    /**
     * Opens a handshake.
     *
     * @param targetId the id of the server the client means to reach; with {@code targetRole},
     *     the identity the server's proof must cover. A server refuses a hello that names another
     *     identity than its own before it proves anything (a stale {@code WorkerRef} whose port
     *     was reused, or a hello relayed by an impostor)
     * @param targetRole what the client means to reach: a worker or a master's registration server
     */
    public record Hello(int protocolVersion, byte[] clientNonce, String targetId, String fingerprint,
            ServerRole targetRole) {}

    /** The server's proof of the secret and its nonce. */
    public record Challenge(byte[] serverNonce, byte[] serverProof) {}

    /**
     * The client's proof of the secret and the encoded connection-state init argument.
     *
     * @param control a control connection: no connection state is initialised and only built-in
     *     functions may be called (shutdown, registration)
     * @param parked a link a master opens to an idle worker of its warm pool: authenticated now,
     *     its connection state initialised later, when a second {@code AUTH} frame on it brings
     *     the connection argument (after the handover)
     */
    public record Auth(byte[] clientProof, byte[] connectionArg, boolean control, boolean parked) {
        public Auth(byte[] clientProof, byte[] connectionArg, boolean control) {
            this(clientProof, connectionArg, control, false);
        }
    }

    /**
     * Why something failed in the peer.
     *
     * @param origin what failed: {@code "function 'NAME'"}, {@code "worker-state init"},
     *     {@code "connection-state init"}, or {@link #PROTOCOL} for a refusal by the runtime
     *     itself (bad handshake, different plugin sets, unknown function)
     * @param type the exception's class name
     * @param message the exception's message, or {@code null}
     * @param stackTrace the exception's printed stack trace
     * @param registryDescription with a plugin-set mismatch, the peer's registry; else {@code null}
     */
    public record RemoteError(String origin, String type, String message, String stackTrace, String registryDescription) {
        public static final String PROTOCOL = "protocol";
        public static final String LIMIT = "limit";

        public static RemoteError of(String origin, Throwable error) {
            return new RemoteError(origin, error.getClass().getName(), error.getMessage(),
                    StackTraces.text(error), null);
        }

        public static RemoteError protocol(String message) {
            return new RemoteError(PROTOCOL, "protocol", message, "", null);
        }

        /** A refusal by the runtime: a value over the maximum message size. */
        public static RemoteError tooLarge(String message) {
            return new RemoteError(PROTOCOL, MessageTooLargeException.class.getName(), message, "", null);
        }

        public boolean isProtocolError() {
            return PROTOCOL.equals(origin);
        }

        /** A stream went past one of its memory bounds; the message says which, and the setting that raises it. */
        public static RemoteError limit(String message) {
            return new RemoteError(LIMIT, "limit", message, "", null);
        }

        public boolean isLimitError() {
            return LIMIT.equals(origin);
        }

        /** The caller's exception for a {@link #isProtocolError() refusal} of {@code label} by {@code workerName}. */
        public RpcParallelException refusal(String workerName, String label) {
            String text = "Worker '" + workerName + "' refused " + label + ": " + message;
            return MessageTooLargeException.class.getName().equals(type)
                    ? new MessageTooLargeException(text) : new RpcParallelException(text);
        }
    }

    /**
     * A spawned worker's report to its master: where it listens, or why its state init failed.
     */
    public record Registration(String workerId, String address, RemoteError initError) {}

    /** A spawned worker's report of an exception that reached no caller; it exits after sending it. */
    public record FailureReport(String workerId, RemoteError error) {}

    /**
     * The answer of the {@code describe} built-in: a worker's type and functions, with the
     * fingerprint a client must send to call them, so that a client in another language can call
     * functions by name.
     */
    public record WorkerDescription(String workerType, int workerTypeId, String fingerprint,
            java.util.List<FunctionDescription> functions, String connectionArgType) {}

    /** One function in a {@link WorkerDescription}: its wire id, name, kind and IDL-level signature. */
    public record FunctionDescription(int id, String name, String kind, String signature) {}

    public static final Codec<Hello> HELLO = Codecs.record(Hello.class);
    public static final Codec<Challenge> CHALLENGE = Codecs.record(Challenge.class);
    public static final Codec<Auth> AUTH = Codecs.record(Auth.class);
    public static final Codec<RemoteError> REMOTE_ERROR = Codecs.record(RemoteError.class);
    public static final Codec<Registration> REGISTRATION = Codecs.record(Registration.class);
    public static final Codec<FailureReport> FAILURE_REPORT = Codecs.record(FailureReport.class);
    /** The payload of a DEADLINE frame: the time left, in microseconds, when it was sent. */
    public static final Codec<Long> DEADLINE = Codecs.int64();
    public static final Codec<WorkerDescription> WORKER_DESCRIPTION = Codecs.record(WorkerDescription.class);
    /** An element of the logs() built-in's stream. */
    public static final Codec<LogEvent> LOG_EVENT = Codecs.record(LogEvent.class);
}
