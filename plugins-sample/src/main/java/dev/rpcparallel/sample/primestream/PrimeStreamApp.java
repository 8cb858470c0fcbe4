package dev.rpcparallel.sample.primestream;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.mapreduce.ProgressReporter;
import dev.rpcparallel.sample.SampleCommands;
import dev.rpcparallel.sample.primes.Limits;
import dev.rpcparallel.sample.primestream.PrimeStream.Range;
import dev.rpcparallel.sample.primestream.PrimeStream.Status;
import dev.rpcparallel.spi.MasterApp;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc-parallel run primestream}: a worker streams the primes below a limit through a
 * {@link PrimeStream#PRIMES pipe}, and this master shows the three things a stream does.
 *
 * <ol>
 *   <li><b>Backpressure:</b> it takes the first primes slowly and asks the worker, as it goes, how
 *       many it has produced: never more than {@link RemoteStream#WINDOW} ahead of what was taken.</li>
 *   <li><b>Cancellation:</b> it closes the stream early; the worker's blocked {@code write}
 *       throws {@code CancellationException} and the producer stops, which the worker reports.</li>
 *   <li><b>Throughput:</b> it streams every prime below the limit at full speed, with progress.</li>
 * </ol>
 *
 * <p>Exit codes: 0 on success, 2 for bad arguments, 1 for any other failure, each failure with a
 * one-line message on stderr.
 */
public final class PrimeStreamApp implements MasterApp {
    /** How long the worker has to report that it saw the cancellation. */
    private static final long CANCEL_TIMEOUT_NANOS = 10_000_000_000L;
    /** The smallest limit with a prime below it (2). */
    private static final long SMALLEST_USEFUL_LIMIT = 3;

    @Override
    public String name() {
        return "primestream";
    }

    @Override
    public String description() {
        return "Streams primes from a worker: backpressure, cancellation and throughput of a pipe";
    }

    @Override
    public int run(List<String> args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return SampleCommands.run("primestream", new Options(out, err), out, err, args);
    }

    @Command(
            name = "primestream",
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Spawns a worker that streams the primes below a limit, takes the first ones slowly to show"
                        + " that the worker stays at most a window ahead (backpressure), closes the stream to"
                        + " show that the worker stops (cancellation), then streams them all at full speed.",
            },
            footer = {"", "Exit codes: 0 success, 1 failure, 2 bad arguments."})
    static final class Options implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final PrintWriter out;
        private final PrintWriter err;

        @Option(names = "--limit", paramLabel = "L",
                description = "Stream the primes below L, at most 10^12 (default: 2_000_000)."
                        + " Accepts 2000000, 2_000_000 or 2e6.")
        String limit = "2_000_000";

        @Option(names = "--take", paramLabel = "K",
                description = "How many primes to take slowly before cancelling (default: ${DEFAULT-VALUE}).")
        int take = 500;

        @Option(names = "--delay-ms", paramLabel = "MS",
                description = "Pause after each slowly taken prime, in milliseconds (default: ${DEFAULT-VALUE}).")
        int delayMillis = 2;

        @Option(names = "--progress", negatable = true,
                description = "Show the full-speed stream's progress on stderr, the default: a bar on a terminal,"
                        + " plain lines (at most one a second) otherwise; --no-progress shows none.")
        Boolean progress;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        Options(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws Exception {
            long below;
            try {
                below = Limits.parse(limit, PrimeGenerator.MAX_LIMIT);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--limit: " + e.getMessage());
            }
            if (below < SMALLEST_USEFUL_LIMIT) {
                throw new ParameterException(spec.commandLine(), "--limit must be at least " + SMALLEST_USEFUL_LIMIT
                        + ", not " + limit + ": there is no prime below " + below + ", so there would be nothing to stream");
            }
            if (take < 1 || take > 100_000) {
                throw new ParameterException(spec.commandLine(), "--take must be between 1 and 100000, not " + take);
            }
            if (delayMillis < 0 || delayMillis > 1_000) {
                throw new ParameterException(spec.commandLine(),
                        "--delay-ms must be between 0 and 1000, not " + delayMillis);
            }
            ProgressReporter reporter = ProgressReporter.builder(err, "numbers")
                    .mode(ProgressReporter.mode(progress))
                    .build();
            long start = System.nanoTime();
            // CONNECTION_CLOSED: the worker exits when this connection closes, however this ends.
            try (Connection worker = Parallel.spawnAndConnect(PrimeStream.TYPE, null, null,
                    SpawnOptions.builder().name("primestream-1").build())) {
                out.printf(Locale.ROOT, "started worker '%s' in %.3f s%n", worker.worker().name(), seconds(start));
                slowThenCancel(worker, below);
                fullSpeed(worker, below, reporter);
                worker.shutdownWorker();
            }
            return CommandLine.ExitCode.OK;
        }

        private void slowThenCancel(Connection worker, long below) throws InterruptedException {
            out.printf(Locale.ROOT, "backpressure: taking the primes below %d slowly, one every %d ms;"
                    + " the worker may run a window of %d ahead, no more%n", below, delayMillis, RemoteStream.WINDOW);
            long taken = 0;
            long last = -1;
            long mostAhead = 0;
            int every = Math.max(1, take / 5);
            RemoteStream<Long> primes = worker.pipe(PrimeStream.PRIMES, new Range(0, below));
            try {
                Iterator<Long> iterator = primes.iterator();
                while (taken < take && iterator.hasNext()) {
                    last = iterator.next();
                    taken++;
                    Thread.sleep(delayMillis);
                    if (taken % every == 0 || taken == take) {
                        long produced = worker.call(PrimeStream.STATUS, null).produced();
                        mostAhead = Math.max(mostAhead, produced - taken);
                        out.printf(Locale.ROOT, "  took %6d primes (last %d), the worker had produced %6d (%d ahead)%n",
                                taken, last, produced, produced - taken);
                    }
                }
            } finally {
                primes.close();
            }
            Status status = awaitStopped(worker);
            if (status.finished()) {
                out.printf(Locale.ROOT, "cancel: closed the stream after %d primes, but the worker had already"
                        + " written all %d primes below %d (raise --limit to see it stop)%n", taken, status.produced(), below);
            } else {
                out.printf(Locale.ROOT, "cancel: closed the stream after %d primes; the worker stopped at %d primes"
                        + " and saw the cancellation (at most %d ahead while taking)%n", taken, status.produced(), mostAhead);
            }
        }

        /** Waits until the worker's producer has ended: cancelled or finished. */
        private static Status awaitStopped(Connection worker) throws InterruptedException {
            long deadline = System.nanoTime() + CANCEL_TIMEOUT_NANOS;
            while (true) {
                Status status = worker.call(PrimeStream.STATUS, null);
                if (status.cancelled() || status.finished()) {
                    return status;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the worker did not stop producing within 10 s of the cancel;"
                            + " it had produced " + status.produced() + " primes");
                }
                Thread.sleep(10);
            }
        }

        private void fullSpeed(Connection worker, long below, ProgressReporter reporter) {
            OptionalLong total = OptionalLong.of(below);
            long start = System.nanoTime();
            long count = 0;
            OptionalLong largest = OptionalLong.empty();
            reporter.update(0, total);
            try (RemoteStream<Long> primes = worker.pipe(PrimeStream.PRIMES, new Range(0, below))) {
                for (long prime : primes) {
                    count++;
                    largest = OptionalLong.of(prime);
                    if ((count & 0xFFF) == 0) {
                        reporter.update(prime, total);
                    }
                }
            }
            reporter.update(below, total);
            reporter.finish();
            double seconds = seconds(start);
            out.printf(Locale.ROOT, "full speed: streamed all %d primes below %d in %.3f s (%,.0f primes/s); %s%n",
                    count, below, seconds, count / Math.max(seconds, 1e-9),
                    largest.isPresent() ? "the largest is " + largest.getAsLong() : "there are none");
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
