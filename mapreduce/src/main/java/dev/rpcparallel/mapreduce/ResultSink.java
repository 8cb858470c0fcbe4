package dev.rpcparallel.mapreduce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * Takes a job's results one at a time, in the job's thread, and makes them an operation's
 * answer. Not thread-safe: only the job's thread calls it.
 */
interface ResultSink<O> {
    /** Takes the result of input {@code index}; returns true to stop the job. */
    boolean accept(long index, O value);

    /** The results, in the order of the inputs. */
    final class InInputOrder<O> implements ResultSink<O> {
        private final List<O> results = new ArrayList<>();

        @Override
        public boolean accept(long index, O value) {
            int position = Math.toIntExact(index);
            while (results.size() <= position) {
                results.add(null);
            }
            results.set(position, value);
            return false;
        }

        List<O> results() {
            return results;
        }
    }

    /** The results combined as they arrive, in any order. */
    final class Commutative<O> implements ResultSink<O> {
        private final BinaryOperator<O> combine;
        private boolean any;
        private O accumulated;

        Commutative(BinaryOperator<O> combine) {
            this.combine = combine;
        }

        @Override
        public boolean accept(long index, O value) {
            accumulated = any ? combine.apply(accumulated, value) : value;
            any = true;
            return false;
        }

        /** Empty if there was no result. */
        Optional<O> result() {
            return any ? Optional.ofNullable(accumulated) : Optional.empty();
        }
    }

    /**
     * The results of adjacent inputs combined, left before right, as soon as both are there, so
     * a result waits only for its neighbours: runs of adjacent results already combined are kept
     * by their first and by their one-past-last index.
     */
    final class AdjacentRuns<O> implements ResultSink<O> {
        private final BinaryOperator<O> combine;
        private final Map<Long, Run<O>> byStart = new HashMap<>();
        private final Map<Long, Run<O>> byEnd = new HashMap<>();

        AdjacentRuns(BinaryOperator<O> combine) {
            this.combine = combine;
        }

        @Override
        public boolean accept(long index, O value) {
            Run<O> run = new Run<>(index, index + 1, value);
            Run<O> left = byEnd.remove(index);
            if (left != null) {
                byStart.remove(left.start());
                run = new Run<>(left.start(), run.end(), combine.apply(left.value(), run.value()));
            }
            Run<O> right = byStart.remove(index + 1);
            if (right != null) {
                byEnd.remove(right.end());
                run = new Run<>(run.start(), right.end(), combine.apply(run.value(), right.value()));
            }
            byStart.put(run.start(), run);
            byEnd.put(run.end(), run);
            return false;
        }

        /** Once every input has its result: the one run, from 0; empty if there was no input. */
        Optional<O> result() {
            if (byStart.isEmpty()) {
                return Optional.empty();
            }
            return Optional.ofNullable(byStart.get(0L).value());
        }

        private record Run<O>(long start, long end, O value) {}
    }

    /** The first result {@code isHit} accepts, which stops the job. */
    final class FirstHit<O> implements ResultSink<O> {
        private final Predicate<? super O> isHit;
        private boolean found;
        private O hit;

        FirstHit(Predicate<? super O> isHit) {
            this.isHit = isHit;
        }

        @Override
        public boolean accept(long index, O value) {
            if (isHit.test(value)) {
                found = true;
                hit = value;
                return true;
            }
            return false;
        }

        /** Empty if no result was a hit. */
        Optional<O> result() {
            return found ? Optional.ofNullable(hit) : Optional.empty();
        }
    }
}
