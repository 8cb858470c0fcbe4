package dev.rpcparallel.launcher.sharing;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.protocol.SessionContext;
import dev.rpcparallel.launcher.protocol.handshake.HandshakeKey;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.spi.transport.Transport;
import java.nio.file.Path;

/**
 * Sharing a worker beyond its master: exporting its access (its {@link WorkerRef} and its own
 * key, never the application's secret), loading one, and shutting its worker down with it.
 */
public final class SharedWorkers {
    private SharedWorkers() {}

    /** Writes the access to {@code worker} to a new file of the runtime directory's {@code access/}. */
    public static Path export(WorkerRef worker, byte[] secret) {
        RuntimeDirectory directory = RuntimeDirectory.ofUser();
        String readable = worker.name().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = directory.ensurePrivate(directory.access()).resolve(readable + "-" + worker.id() + ".access");
        WorkerAccess access = WorkerAccess.of(worker, SecretProof.workerKey(secret, worker.id()));
        new AccessFile(access, 0, ProcessHandle.current().pid(), 0, "").writeTo(file);
        return file;
    }

    /** Reads an access file, or a live worker's entry. */
    public static WorkerAccess load(Path file) {
        return AccessFile.read(file).access();
    }

    /**
     * Asks the worker of {@code access} to shut down over a control connection, which needs no
     * plugin set: the key is all it proves.
     *
     * @throws RpcParallelException (a {@code ConnectionException}) if the worker cannot be reached
     *     or refuses the key
     */
    public static void shutdown(Transport transport, RpcSettings settings, WorkerAccess access) {
        WorkerRef worker = access.worker();
        ClientConnection.openControl(SessionContext.withoutSecret(transport, settings),
                HandshakeKey.ofWorker(worker.id(), access.key()), worker).shutdownWorker();
    }
}
