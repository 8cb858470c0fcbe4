package dev.rpcparallel.launcher.sharing;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.WorkerAccess;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The live workers of this user's applications on this host, one entry file each in the runtime
 * directory's {@code workers/}: a worker writes its own soon after it starts serving and removes
 * it when its JVM exits. An entry whose process is gone ({@code kill -9}, a crash) is stale: listing
 * ignores and deletes it, and so does the next worker that publishes its own. Entries name their process by pid and start time, so a reused pid does
 * not keep a stale one alive.
 */
public final class WorkerEntries {
    private static final String SUFFIX = ".worker";
    /** Of an entry written by {@link Prepared#rehearse}: not {@link #SUFFIX}, so never listed. */
    private static final String REHEARSAL_SUFFIX = ".rehearsal";

    private final RuntimeDirectory directory;

    public WorkerEntries(RuntimeDirectory directory) {
        this.directory = directory;
    }

    /**
     * Writes the entry of this process's worker and removes it when the JVM exits.
     *
     * @return the entry's file
     * @throws RpcParallelException if the runtime directory is not private or cannot be written
     */
    public Path publish(WorkerAccess access, long masterPid) {
        return prepare(masterPid).publish(access);
    }

    /**
     * Does now what the entry of this process's worker needs before the worker is known: checks
     * the directory and reads this process's start. A pooled worker prepares while idle.
     *
     * @throws RpcParallelException if the runtime directory is not private or cannot be created
     */
    public Prepared prepare(long masterPid) {
        ProcessHandle self = ProcessHandle.current();
        return new Prepared(directory.ensurePrivate(directory.workers()), self.pid(), masterPid, processStart(self));
    }

    /** The entry of this process's worker, prepared: {@link #publish} writes it. */
    public static final class Prepared {
        private final Path folder;
        private final long pid;
        private final long masterPid;
        private final String processStart;

        private Prepared(Path folder, long pid, long masterPid, String processStart) {
            this.folder = folder;
            this.pid = pid;
            this.masterPid = masterPid;
            this.processStart = processStart;
        }

        /**
         * Writes the entry of {@code access}'s worker and removes it when the JVM exits.
         *
         * @return the entry's file
         * @throws RpcParallelException if it cannot be written
         */
        public Path publish(WorkerAccess access) {
            return write(access, folder.resolve(access.worker().id() + SUFFIX));
        }

        /**
         * Writes the entry of {@code access}'s worker as {@link #publish} does, but under a name
         * that is no entry's (listing and {@code ps} see none), and deletes it: for the archive
         * maker, which runs a worker's steps without being a worker anybody may find.
         *
         * @throws RpcParallelException if it cannot be written
         */
        public void rehearse(WorkerAccess access) {
            Path file = write(access, folder.resolve("." + access.worker().id() + REHEARSAL_SUFFIX));
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Deleted by the hook when this JVM exits.
            }
        }

        /**
         * The hook that removes the file goes in first: a JVM already exiting refuses it
         * ({@link IllegalStateException}), and then no file is written that nothing would remove.
         */
        private Path write(WorkerAccess access, Path file) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // A stale entry is cleaned by the next listing.
                }
            }, "rpc-parallel-remove-worker-entry"));
            new AccessFile(access, pid, masterPid, System.currentTimeMillis(), processStart).writeTo(file);
            return file;
        }
    }

    /**
     * Deletes the entries of workers that died without their hook ({@code kill -9}, a crash), and
     * the archive makers' rehearsed entries ({@link Prepared#rehearse}) whose makers died between
     * writing and deleting them (nobody lists those, so only this removes them); a worker does so
     * once it serves, on its own thread, and a failure is left to the next one.
     */
    public void deleteStale() {
        try {
            liveIn("{*" + SUFFIX + ",.*" + REHEARSAL_SUFFIX + "}");
        } catch (RuntimeException e) {
            // Left to the next worker or listing.
        }
    }

    /** The live workers, oldest first; stale entries are deleted on the way. */
    public List<AccessFile> live() {
        return liveIn("*" + SUFFIX);
    }

    /** The live entries among the files {@code glob} matches, oldest first; dead ones deleted on the way. */
    private List<AccessFile> liveIn(String glob) {
        Path folder = directory.workers();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        directory.ensurePrivate(folder);
        List<AccessFile> live = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, glob)) {
            for (Path file : entries) {
                AccessFile entry;
                try {
                    entry = AccessFile.read(file);
                } catch (RpcParallelException e) {
                    if (Files.exists(file)) {
                        System.err.println("rpc-parallel: ignoring " + e.getMessage());
                    }
                    continue; // gone meanwhile (its worker exited), or not an entry
                }
                if (isAlive(entry)) {
                    live.add(entry);
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new RpcParallelException("Cannot list the worker entries of " + folder + ": " + e, e);
        }
        live.sort(Comparator.comparingLong(AccessFile::startedMillis));
        return live;
    }

    /**
     * The live worker named {@code nameOrId}: by exact name or id, else by id prefix.
     *
     * @throws RpcParallelException if none matches, or several do
     */
    public AccessFile find(String nameOrId) {
        List<AccessFile> live = live();
        List<AccessFile> exact = live.stream().filter(entry -> entry.access().worker().name().equals(nameOrId)
                || entry.access().worker().id().equals(nameOrId)).toList();
        List<AccessFile> matches = exact.isEmpty()
                ? live.stream().filter(entry -> entry.access().worker().id().startsWith(nameOrId)).toList()
                : exact;
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new RpcParallelException("No live worker is named '" + nameOrId + "' or has an id starting so"
                    + " (live workers: " + live.stream().map(entry -> entry.access().worker().name()).toList()
                    + "). Run rpc-parallel ps to list them.");
        }
        throw new RpcParallelException("Several live workers match '" + nameOrId + "': " + matches.stream()
                .map(entry -> entry.access().worker().name() + " (" + entry.access().worker().id() + ", pid "
                        + entry.pid() + ")").toList() + ". Name one by its id.");
    }

    static boolean isAlive(AccessFile entry) {
        Optional<ProcessHandle> process = ProcessHandle.of(entry.pid());
        return process.isPresent() && process.get().isAlive()
                && (entry.processStart().isEmpty() || entry.processStart().equals(processStart(process.get())));
    }

    private static String processStart(ProcessHandle process) {
        return process.info().startInstant().map(InstantText::of).orElse("");
    }
}
