package dev.rpcparallel.benchmarks;

import java.util.Arrays;

/**
 * Measured values (nanoseconds, or any unit) and their order statistics; {@link #timed()} ones
 * also keep when each measured span began, for a trace ({@link TailTrace}). Not thread-safe.
 */
final class Samples {
    private long[] values = new long[64];
    /** Each value's start ({@link System#nanoTime}), in the order added; {@code null} unless timed. */
    private long[] starts;
    private int size;
    /** Whether a value was added without its start. */
    private boolean startMissing;

    Samples() {}

    private Samples(boolean timed) {
        this.starts = timed ? new long[values.length] : null;
    }

    /** Samples that keep each span's start besides its length ({@link #add(long, long)}). */
    static Samples timed() {
        return new Samples(true);
    }

    /** Whether every value came with its start: timed samples that {@link #add(long)} never added to. */
    boolean hasStarts() {
        return starts != null && !startMissing;
    }

    void add(long value) {
        append(value);
        startMissing = true;
    }

    private void append(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            if (starts != null) {
                starts = Arrays.copyOf(starts, values.length);
            }
        }
        values[size++] = value;
    }

    /** Adds the length of a span that began at {@code startNanos}; the start is kept if these samples are timed. */
    void add(long startNanos, long value) {
        append(value);
        if (starts != null) {
            starts[size - 1] = startNanos;
        }
    }

    /** The {@code i}-th value added. */
    long value(int i) {
        return values[i];
    }

    /** When the {@code i}-th span began ({@link System#nanoTime}); only for timed samples. */
    long start(int i) {
        if (!hasStarts()) {
            throw new IllegalStateException("these samples keep no start times");
        }
        return starts[i];
    }

    int size() {
        return size;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]. */
    long percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }

    long median() {
        return percentile(50);
    }

    long sum() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum;
    }

    /** The median of doubles, for per-round rates. */
    static double median(double[] rounds) {
        double[] sorted = rounds.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
