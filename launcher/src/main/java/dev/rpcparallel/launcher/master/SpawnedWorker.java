package dev.rpcparallel.launcher.master;

import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.WorkerFailedException;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import dev.rpcparallel.launcher.protocol.Messages;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A worker process this runtime spawned, from its start until it exits: decides whether its end
 * is a failure, kills it when its heartbeats stop, tells the spawn's failure callback once, and
 * explains to connections why the worker went away.
 */
final class SpawnedWorker {
    private static final Logger LOG = LogManager.getLogger(SpawnedWorker.class);
    /** Where a worker failure goes when its spawn set no {@code onFailure} callback. */
    private static final Logger FAILURES = LogManager.getLogger("dev.rpcparallel.WorkerFailures");
    /** How long a lost connection waits for the process's exit status to name it in errors. */
    private static final long EXIT_STATUS_WAIT_MILLIS = 800;

    private final String id;
    private final String name;
    private final WorkerProcess process;
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private volatile boolean registered;
    /** Why the master gave this worker up while its process still ran, if it did. */
    private volatile String lostReason;

    SpawnedWorker(String id, String name, WorkerProcess process) {
        this.id = id;
        this.name = name;
        this.process = process;
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    WorkerProcess process() {
        return process;
    }

    /** The spawn returned: from now on a failure goes to the callback rather than to the spawn's caller. */
    void registered() {
        registered = true;
    }

    /** Whether the master's shutdown and exit stop this worker: all but {@link ShutdownOn#CALLED_SHUTDOWN} ones. */
    boolean diesWithMaster() {
        return process.options().shutdownOn() != ShutdownOn.CALLED_SHUTDOWN;
    }

    /** The process exited. Exit status 0 is a requested end (shutdown, release, connection closed). */
    void exited() {
        int status = process.process().exitValue();
        if (status != 0 && registered) {
            String description = process.exitDescription();
            fail(new WorkerFailedException(name, description, "Worker '" + name + "' died: " + description
                    + ". What it printed last:\n" + process.lastOutput(), null));
        }
    }

    /** The worker reported an exception no caller could receive; it exits after this. */
    void reported(Messages.RemoteError error) {
        RemoteException remote = new RemoteException(name, error.origin(), error.type(), error.message(),
                error.stackTrace());
        fail(new WorkerFailedException(name, null, "Worker '" + name + "' failed: an exception in "
                + error.origin() + " reached no caller: " + error.type()
                + (error.message() == null ? "" : ": " + error.message()), remote));
    }

    /**
     * The worker is hung or stopped (its heartbeats stopped): the process is killed, so that it
     * cannot come back half-alive, which fails every pending call and stream on it with
     * {@code reason}, and the failure callback is told, once.
     */
    void lost(String reason) {
        if (!process.process().isAlive()) {
            return;
        }
        lostReason = reason;
        LOG.warn("Worker '{}' is lost: {}; killing its process {}", name, reason, process.description());
        process.process().destroyForcibly();
        fail(new WorkerFailedException(name, null, "Worker '" + name + "' is lost: " + reason
                + "; its process was killed. What it printed last:\n" + process.lastOutput(), null));
    }

    private void fail(WorkerFailedException failure) {
        if (failureReported.compareAndSet(false, true)) {
            try {
                process.options().onFailure().ifPresentOrElse(callback -> callback.accept(failure),
                        () -> FAILURES.error(failure.getMessage(), failure));
            } catch (RuntimeException e) {
                LOG.error("The failure callback of worker '{}' threw", name, e);
            }
        }
    }

    /**
     * Why a connection to this worker was lost: its exit status if the process ends soon, so that
     * pending calls name the signal or the exit code.
     */
    Optional<String> explainLoss() {
        String lost = lostReason;
        if (lost != null) {
            return Optional.of(lost);
        }
        try {
            process.process().onExit().get(EXIT_STATUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return Optional.of("the worker process died: " + process.exitDescription());
        } catch (Exception stillRunningOrInterrupted) {
            if (stillRunningOrInterrupted instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }
}
