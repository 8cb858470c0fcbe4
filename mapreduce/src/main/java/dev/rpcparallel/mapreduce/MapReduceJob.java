package dev.rpcparallel.mapreduce;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.mapreduce.JobEvent.Completion;
import dev.rpcparallel.mapreduce.JobEvent.Pending;
import dev.rpcparallel.mapreduce.JobEvent.Replacement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run of a {@link MapReduce} operation, in the caller's thread: hands the inputs out to the
 * workers, takes the results to its {@link ResultSink}, and deals with lost workers (their inputs
 * retried, a replacement started) as the {@link JobSettings} say.
 */
final class MapReduceJob<I, O> {
    private static final Logger LOG = LogManager.getLogger(MapReduceJob.class);

    private final JobSettings<I, O> settings;
    private final String jobName;
    private final WorkerPool workers;
    private final List<WorkerSlot> pool = new ArrayList<>();
    private final Iterator<? extends I> inputs;
    private final OptionalLong total;
    private final ResultSink<O> sink;
    private final BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
    private final ArrayDeque<Pending<I>> retries = new ArrayDeque<>();
    private final long start = System.nanoTime();
    private long nextIndex;
    private long done;
    private long retried;
    private int replaced;
    private int inFlight;
    private int replacing;

    private MapReduceJob(JobSettings<I, O> settings, WorkerPool workers, Iterator<? extends I> inputs,
            OptionalLong total, ResultSink<O> sink) {
        this.settings = settings;
        this.jobName = settings.jobName();
        this.workers = workers;
        List<Connection> connections = workers.connections();
        for (int i = 0; i < connections.size(); i++) {
            pool.add(new WorkerSlot(i, connections.get(i)));
        }
        this.inputs = inputs;
        this.total = total;
        this.sink = sink;
    }

    /**
     * Maps {@code inputs} on a pool from {@code jobPool} (none is started if there are no inputs),
     * giving the results to {@code sink}; the pool is released before this returns or throws.
     */
    static <I, O> void run(JobSettings<I, O> settings, JobPool jobPool, Iterable<? extends I> inputs,
            ResultSink<O> sink) {
        requireNonNull(inputs, "inputs");
        OptionalLong total = inputs instanceof Collection<?> collection
                ? OptionalLong.of(collection.size())
                : OptionalLong.empty();
        Iterator<? extends I> iterator = inputs.iterator();
        if (!iterator.hasNext()) {
            return; // no worker to start
        }
        WorkerPool pool = jobPool.acquire(settings.jobName());
        MapReduceJob<I, O> job = new MapReduceJob<>(settings, pool, iterator, total, sink);
        Throwable failure = null;
        try {
            job.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            // Replacements still starting join the pool, so they are shut down with it.
            job.awaitReplacements(failure);
            jobPool.release(pool, settings.jobName(), failure);
        }
    }

    private void run() {
        reportProgress();
        while (true) {
            dispatch();
            if (inFlight == 0 && retries.isEmpty() && !inputs.hasNext()) {
                return;
            }
            JobEvent event = takeEvent();
            if (event instanceof Replacement replacement) {
                replaced(replacement);
                continue;
            }
            @SuppressWarnings("unchecked")
            Completion<I, O> completion = (Completion<I, O>) event;
            inFlight--;
            completion.slot().inFlight--;
            if (completion.failure() == null) {
                done++;
                boolean stop = sink.accept(completion.pending().index(), completion.value());
                reportProgress();
                if (stop) {
                    return;
                }
            } else {
                failed(completion);
            }
        }
    }

    /** Gives every live worker inputs up to the batch size, one round at a time so they share evenly. */
    private void dispatch() {
        boolean sent = true;
        while (sent) {
            sent = false;
            for (WorkerSlot slot : pool) {
                if (slot.alive && slot.inFlight < settings.batch()) {
                    Pending<I> next = next();
                    if (next == null) {
                        return;
                    }
                    send(slot, next);
                    sent = true;
                }
            }
        }
    }

    private Pending<I> next() {
        Pending<I> retry = retries.poll();
        if (retry != null) {
            return retry;
        }
        if (!inputs.hasNext()) {
            return null;
        }
        return new Pending<>(nextIndex++, inputs.next(), 0);
    }

    private void send(WorkerSlot slot, Pending<I> pending) {
        Pending<I> attempt = new Pending<>(pending.index(), pending.input(), pending.attempts() + 1);
        CompletableFuture<O> call;
        try {
            call = slot.connection.callAsync(settings.function(), attempt.input());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        slot.inFlight++;
        inFlight++;
        call.whenComplete((value, failure) -> events.add(new Completion<>(slot, attempt, value, failure)));
    }

    private JobEvent takeEvent() {
        try {
            return events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MapReduceException("map-reduce " + jobName + " interrupted", -1, e);
        }
    }

    private void failed(Completion<I, O> completion) {
        Throwable cause = Failures.unwrap(completion.failure());
        WorkerSlot slot = completion.slot();
        Pending<I> pending = completion.pending();
        long index = pending.index();
        if (!(settings.retry() && cause instanceof ConnectionException)) {
            throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index
                    + " (worker '" + slot.name() + "'): " + Failures.firstLine(cause), index, cause);
        }
        if (slot.alive) {
            slot.alive = false;
            slot.connection.close();
            LOG.warn("map-reduce {}: worker '{}' lost, its inputs go to the others and a new worker {} starts: {}",
                    jobName, slot.name(), slot.index, Failures.firstLine(cause));
            replace(slot.index);
        }
        int maxAttempts = settings.maxAttempts();
        if (pending.attempts() >= maxAttempts) {
            throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index + " after "
                    + pending.attempts() + (pending.attempts() == 1 ? " attempt" : " attempts")
                    + ", each ending with its worker lost (the limit, maxAttempts, is " + maxAttempts
                    + "); the last, on worker '" + slot.name() + "': " + Failures.firstLine(cause), index, cause);
        }
        retries.add(pending);
        retried++;
        reportProgress();
        if (replacing == 0 && pool.stream().noneMatch(s -> s.alive)) {
            throw new MapReduceException("map-reduce " + jobName + " failed on input #" + index
                    + ": every worker of the pool died and none could be replaced, the last ('" + slot.name()
                    + "'): " + Failures.firstLine(cause), index, cause);
        }
    }

    /** Starts a worker with the same index (init argument, spawn options) in the background. */
    private void replace(int index) {
        replacing++;
        Thread thread = new Thread(() -> {
            try {
                events.add(new Replacement(index, workers.startWorker(index), null));
            } catch (RuntimeException | Error e) {
                events.add(new Replacement(index, null, e));
            }
        }, "map-reduce-replace-" + index);
        thread.setDaemon(true);
        thread.start();
    }

    private void replaced(Replacement replacement) {
        replacing--;
        if (replacement.failure() != null) {
            LOG.warn("map-reduce {}: could not replace worker {}: {}",
                    jobName, replacement.index(), Failures.firstLine(replacement.failure()));
            if (pool.stream().noneMatch(s -> s.alive) && replacing == 0) {
                Throwable cause = replacement.failure();
                throw new MapReduceException("map-reduce " + jobName + ": every worker of the pool died and worker "
                        + replacement.index() + " could not be replaced: " + Failures.firstLine(cause), -1, cause);
            }
            return;
        }
        join(replacement);
        replaced++;
        reportProgress();
    }

    /** The replacement takes its worker's place, in the pool and in this job. */
    private void join(Replacement replacement) {
        workers.replace(replacement.index(), replacement.connection());
        pool.set(replacement.index(), new WorkerSlot(replacement.index(), replacement.connection()));
    }

    /**
     * Waits for the replacements still starting and adds them to the pool, so they are shut
     * down with it; a replacement that fails to start is noted on the job's failure, if any.
     */
    private void awaitReplacements(Throwable jobFailure) {
        while (replacing > 0) {
            JobEvent event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (event instanceof Replacement replacement) {
                replacing--;
                if (replacement.connection() != null) {
                    join(replacement);
                } else if (jobFailure != null) {
                    jobFailure.addSuppressed(replacement.failure());
                }
            }
        }
    }

    private void reportProgress() {
        if (settings.onProgress() != null) {
            int alive = (int) pool.stream().filter(s -> s.alive).count();
            settings.onProgress().accept(new Progress(done, total, alive, retried, replaced,
                    Duration.ofNanos(System.nanoTime() - start)));
        }
    }
}
