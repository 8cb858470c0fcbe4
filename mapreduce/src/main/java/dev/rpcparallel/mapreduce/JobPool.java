package dev.rpcparallel.mapreduce;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The pool an operation runs on: one started for each operation and shut down after it, or one
 * the caller started, which operations use and leave running.
 */
final class JobPool {
    private static final Logger LOG = LogManager.getLogger(JobPool.class);

    /** The pool every operation starts and closes, or null for {@link #given}. */
    private final WorkerPool.Builder<?, ?> spec;
    /** The caller's pool, which operations run on and leave open, or null for {@link #spec}. */
    private final WorkerPool given;

    private JobPool(WorkerPool.Builder<?, ?> spec, WorkerPool given) {
        this.spec = spec;
        this.given = given;
    }

    /** A pool started by each operation from {@code spec}, as it is when the operation starts. */
    static JobPool startedFrom(WorkerPool.Builder<?, ?> spec) {
        return new JobPool(spec, null);
    }

    /** The caller's pool, left running. */
    static JobPool given(WorkerPool pool) {
        return new JobPool(null, pool);
    }

    String typeName() {
        return spec != null ? spec.typeName() : given.typeName();
    }

    /**
     * The pool for one operation: the given one, or a new one, its workers spawned several at a
     * time and connected; if any fails to start, the others are stopped and this throws.
     */
    WorkerPool acquire(String jobName) {
        if (given != null) {
            return given;
        }
        try {
            return spec.start();
        } catch (WorkerPoolException e) {
            MapReduceException failure =
                    new MapReduceException("map-reduce " + jobName + ": " + e.getMessage(), -1, e.getCause());
            for (Throwable suppressed : e.getSuppressed()) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    /**
     * The operation is over: a pool started for it has every worker shut down; a failure to is
     * added to the operation's, or logged if it succeeded. A given pool stays as it is.
     */
    void release(WorkerPool pool, String jobName, Throwable jobFailure) {
        if (given != null) {
            return;
        }
        try {
            pool.close();
        } catch (WorkerPoolException e) {
            if (jobFailure != null) {
                jobFailure.addSuppressed(e);
            } else {
                LOG.warn("map-reduce {}: {}", jobName, e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        int workers = spec != null ? spec.size() : given.size();
        return workers + " workers" + (given != null ? " (given)" : "");
    }
}
