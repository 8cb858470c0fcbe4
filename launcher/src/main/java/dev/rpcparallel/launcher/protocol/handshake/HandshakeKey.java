package dev.rpcparallel.launcher.protocol.handshake;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.launcher.protocol.ServerRole;

/**
 * What a client proves itself with in the handshake: the application's secret, from which it
 * derives the key of any server, or the key of one worker (from an exported access), which is
 * good for that worker alone. Immutable.
 */
public final class HandshakeKey {
    private final byte[] secret;
    private final String workerId;
    private final byte[] workerKey;

    private HandshakeKey(byte[] secret, String workerId, byte[] workerKey) {
        this.secret = secret;
        this.workerId = workerId;
        this.workerKey = workerKey;
    }

    /** The application's secret: proves to any of its servers. */
    public static HandshakeKey ofSecret(byte[] secret) {
        return new HandshakeKey(secret.clone(), null, null);
    }

    /** One worker's key ({@link SecretProof#workerKey}): proves to that worker only. */
    public static HandshakeKey ofWorker(String workerId, byte[] workerKey) {
        return new HandshakeKey(null, workerId, workerKey.clone());
    }

    /** Whether this is the application's secret rather than one worker's key. */
    public boolean isSecret() {
        return secret != null;
    }

    /**
     * The key of the server of that role and id.
     *
     * @throws ConnectionException if this is one worker's key and the server is another
     */
    public byte[] forServer(ServerRole role, String serverId) {
        if (secret != null) {
            return SecretProof.proofKey(secret, role, serverId);
        }
        if (role != ServerRole.WORKER || !workerId.equals(serverId)) {
            throw new ConnectionException("this access holds the key of worker " + workerId + " only, not of "
                    + role.describe(serverId));
        }
        return workerKey;
    }
}
