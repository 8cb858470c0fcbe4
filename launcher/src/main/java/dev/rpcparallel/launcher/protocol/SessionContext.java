package dev.rpcparallel.launcher.protocol;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.spi.transport.Transport;

/**
 * What every session of this process, client or server, is made with: the transport, the
 * settings, the application's secret, and this process's plugin set (its fingerprint, checked
 * in the handshake, and its description, to explain a mismatch). Immutable.
 *
 * @param secret the application's secret; empty in a process that holds only one worker's key
 *     (it proves that key instead, and serves nothing)
 * @param fingerprint this process's registry fingerprint; empty where no plugin set is loaded
 * @param registryDescription this process's registry, in lines; empty where none is loaded
 */
public record SessionContext(Transport transport, RpcSettings settings, byte[] secret, String fingerprint,
        String registryDescription) {

    public SessionContext {
        requireNonNull(transport, "transport");
        requireNonNull(settings, "settings");
        secret = requireNonNull(secret, "secret").clone();
        requireNonNull(fingerprint, "fingerprint");
        requireNonNull(registryDescription, "registryDescription");
    }

    /** For a process that holds no secret and no plugin set: it proves a worker's key to that worker only. */
    public static SessionContext withoutSecret(Transport transport, RpcSettings settings) {
        return new SessionContext(transport, settings, new byte[0], "", "");
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }
}
