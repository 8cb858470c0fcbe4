package dev.rpcparallel.launcher.worker;

import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.launcher.sharing.RuntimeDirectory;
import dev.rpcparallel.launcher.sharing.WorkerEntries;

/**
 * A worker's entry in the user's runtime directory, for {@code rpc-parallel ps} and {@code stop}:
 * prepared (a pooled worker does so while idle), published once the worker serves, removed when
 * its JVM exits; and the cleaning of entries whose workers died without removing theirs.
 */
final class OwnEntry {
    private OwnEntry() {}

    /** Checks the directory and reads this process's start, before the worker is known. */
    static WorkerEntries.Prepared prepare(long masterPid) {
        return new WorkerEntries(RuntimeDirectory.ofUser()).prepare(masterPid);
    }

    /**
     * Writes the entry of {@code self} (prepared now if {@code prepared} is {@code null}). A worker
     * that cannot write it still serves: it says so on stderr.
     */
    static void publish(WorkerEntries.Prepared prepared, WorkerRef self, byte[] secret, long masterPid) {
        try {
            WorkerEntries.Prepared entry = prepared != null ? prepared : prepare(masterPid);
            entry.publish(access(self, secret));
        } catch (IllegalStateException e) {
            // The JVM is exiting (its shutdown hooks run): no entry, and nothing to say.
        } catch (RuntimeException e) {
            System.err.println("rpc-parallel worker '" + self.name() + "': not listed by ps: " + e.getMessage());
        }
    }

    /**
     * What {@link #publish} does, by the same code, with an entry that nobody can list and that is
     * deleted at once ({@link WorkerEntries.Prepared#rehearse}): for the archive maker. A failure
     * is ignored, as a worker serves without its entry: the archive then lacks what the rest of
     * the entry's writing loads, not everything.
     */
    static void rehearse(WorkerRef self, byte[] secret, long masterPid) {
        try {
            prepare(masterPid).rehearse(access(self, secret));
        } catch (RuntimeException e) {
            // The maker's output is discarded: nobody to tell.
        }
    }

    /**
     * Deletes the entries of workers that died without removing theirs; a failure is left to the
     * next worker or listing.
     */
    static void deleteStale() {
        try {
            new WorkerEntries(RuntimeDirectory.ofUser()).deleteStale();
        } catch (RuntimeException e) {
            // Left to the next worker or listing.
        }
    }

    private static WorkerAccess access(WorkerRef self, byte[] secret) {
        return WorkerAccess.of(self, SecretProof.workerKey(secret, self.id()));
    }
}
