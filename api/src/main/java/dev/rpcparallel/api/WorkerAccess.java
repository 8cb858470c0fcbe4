package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.nio.file.Path;

/**
 * What another process needs to call one worker: its {@link WorkerRef} and that worker's own key,
 * derived from the application's secret and the worker's id. The key lets its holder pass the
 * handshake with that worker only: not with the application's other workers, not with its master.
 *
 * <p>A master {@linkplain #export exports} the access of a worker it spawned, typically a
 * {@link ShutdownOn#CALLED_SHUTDOWN} one meant to outlive it, to a file readable by the user
 * alone; another master of the same application (same plugin set), or the {@code rpc-parallel}
 * command, {@linkplain #load loads} it and {@linkplain Parallel#connect(WorkerAccess) connects}
 * or {@linkplain Parallel#shutdown(WorkerAccess) shuts the worker down}. Whoever can read the
 * file can call the worker: keep it private. Immutable and thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class WorkerAccess {
    private final WorkerRef worker;
    private final byte[] key;

    private WorkerAccess(WorkerRef worker, byte[] key) {
        this.worker = requireNonNull(worker, "worker");
        this.key = requireNonNull(key, "key").clone();
    }

    /** For runtimes: the access to {@code worker} with its key. */
    public static WorkerAccess of(WorkerRef worker, byte[] key) {
        return new WorkerAccess(worker, key);
    }

    /**
     * Writes the access to {@code worker}, which this process spawned or serves, to a new file of
     * the user's private runtime directory (mode 0600 in a directory of mode 0700) and returns its path.
     *
     * @throws RpcParallelException if the directory or the file cannot be written, or the
     *     runtime directory is not private to this user
     */
    public static Path export(WorkerRef worker) {
        return Parallel.exportAccess(worker);
    }

    /**
     * Reads an access written by {@link #export}.
     *
     * @throws RpcParallelException if the file cannot be read, is not an access file, or is
     *     readable by other users
     */
    public static WorkerAccess load(Path file) {
        return Parallel.loadAccess(file);
    }

    /** The worker this access is for. */
    public WorkerRef worker() {
        return worker;
    }

    /** For runtimes: a copy of the worker's key. */
    public byte[] key() {
        return key.clone();
    }

    /** Names the worker, never the key. */
    @Override
    public String toString() {
        return "WorkerAccess[" + worker + "]";
    }
}
