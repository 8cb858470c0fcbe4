package dev.rpcparallel.mapreduce;

import dev.rpcparallel.api.Connection;

/**
 * One worker of a job's pool, with its inputs in flight; touched only by the job's thread. A
 * replacement is a new slot with the same index.
 */
final class WorkerSlot {
    final int index;
    final Connection connection;
    int inFlight;
    boolean alive = true;

    WorkerSlot(int index, Connection connection) {
        this.index = index;
        this.connection = connection;
    }

    String name() {
        return connection.worker().name();
    }
}
