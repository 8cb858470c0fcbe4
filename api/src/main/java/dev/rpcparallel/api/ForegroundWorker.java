package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * A worker spawned in the foreground ({@link Parallel#spawnInForeground}): its ref and its
 * process, whose stdout and stderr are the caller's to read (they are not redirected; unread,
 * they fill their pipes and block the worker).
 *
 * @param worker the worker's ref, as {@link Parallel#spawn} returns it
 * @param process the worker's JVM
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ForegroundWorker(WorkerRef worker, Process process) {
    public ForegroundWorker {
        requireNonNull(worker, "worker");
        requireNonNull(process, "process");
    }
}
