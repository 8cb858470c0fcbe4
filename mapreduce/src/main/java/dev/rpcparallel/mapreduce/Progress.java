package dev.rpcparallel.mapreduce;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How far a map-reduce job is, given to the progress callback of {@link MapReduce.Builder#onProgress}
 * after every result, and once before the first input is sent.
 *
 * @param done inputs whose results have arrived
 * @param total the number of inputs, known when the inputs are a {@link java.util.Collection}
 * @param workers workers in the pool and running (with retries on, a dead worker is missing
 *     until its replacement has started)
 * @param retried inputs sent again because the worker that had them died
 * @param replaced workers started to replace dead ones (with retries on)
 * @param elapsed time since the workers were started (spawning is not included)
 */
public record Progress(long done, OptionalLong total, int workers, long retried, int replaced, Duration elapsed) {

    /** A progress with no worker replaced. */
    public Progress(long done, OptionalLong total, int workers, long retried, Duration elapsed) {
        this(done, total, workers, retried, 0, elapsed);
    }

    /** Results per second so far; 0 before the first. */
    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }
}
