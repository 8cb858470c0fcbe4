package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;

/**
 * Identifies a running worker server: its type, a unique id, a readable name and the address
 * it listens on (the scheme names the transport, as in {@code thrift://127.0.0.1:41234}).
 *
 * <p>A plain value: pass it as an argument to another worker (with {@link Codecs#workerRef()}),
 * which can then {@link Parallel#connect} to it. Knowing a {@code WorkerRef} is not enough to
 * call a worker: every connection also proves it knows the application's secret, or that
 * worker's own key from a {@link WorkerAccess}.
 *
 * @param workerType the worker type's name
 * @param id unique within the application
 * @param name readable, shown in logs, errors and {@code ps}
 * @param address where the worker's server listens
 */
@API(status = API.Status.STABLE, since = "0.1")
public record WorkerRef(String workerType, String id, String name, String address) {
    public WorkerRef {
        requireNonNull(workerType, "workerType");
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(address, "address");
    }
}
