package dev.rpcparallel.sample.primes;

import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.mapreduce.MapReduce;
import dev.rpcparallel.mapreduce.ProgressReporter;
import dev.rpcparallel.mapreduce.WorkerPool;
import dev.rpcparallel.sample.primes.Primes.Range;
import dev.rpcparallel.spi.MasterApp;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc-parallel run primes}: counts the primes below a limit on several {@code primes}
 * workers, to show (and measure) the speedup of spreading a CPU-bound job over processes.
 *
 * <p>It spawns the workers concurrently, splits {@code [0, limit)} into chunks and lets every
 * worker pull the next chunk as soon as it has counted one. The workers count a small range
 * first so the timed run does not include their JIT warm-up. With {@code --compare} it then
 * counts the same chunks on one worker alone and prints the speedup.
 *
 * <p>Exit codes: 0 on success, 2 for bad arguments, 1 for any other failure, each failure with
 * a one-line message on stderr.
 */
public final class PrimesApp implements MasterApp {
    static final int MAX_WORKERS = 256;
    static final int MAX_CHUNKS = 1_000_000;
    private static final Range WARM_UP = new Range(0, 10_000_000);

    @Override
    public String name() {
        return "primes";
    }

    @Override
    public String description() {
        return "Counts the primes below a limit on several workers and reports the time taken";
    }

    @Override
    public int run(List<String> args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CommandLine commandLine = new CommandLine(new Options(out, err))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cl, parseResult) -> {
                    err.println("primes: " + FailureMessages.describe(e));
                    return CommandLine.ExitCode.SOFTWARE;
                });
        try {
            return commandLine.execute(args.toArray(String[]::new));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            // picocli passes errors through; a broken class path is still a failure to report
            err.println("primes: " + FailureMessages.describe(e));
            return CommandLine.ExitCode.SOFTWARE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Command(
            name = "primes",
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Counts the primes below a limit on several workers, each worker pulling the next"
                        + " chunk of the range as soon as it has counted one, and reports the wall time.",
            },
            footer = {"", "Exit codes: 0 success, 1 failure, 2 bad arguments."})
    static final class Options implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final PrintWriter out;

        @Option(names = "--workers", paramLabel = "N",
                description = "Number of workers to spawn (default: the number of processors, ${DEFAULT-VALUE}).")
        int workers = Runtime.getRuntime().availableProcessors();

        @Option(names = "--limit", paramLabel = "L", converter = LimitConverter.class,
                description = "Count the primes below L, at most 10^12 (default: 100_000_000)."
                        + " Accepts 100000000, 100_000_000, 1e8 or 10^8.")
        long limit = 100_000_000;

        @Option(names = "--chunks", paramLabel = "C",
                description = "Number of chunks to split [0, L) into (default: 8 per worker).")
        Integer chunks;

        @Option(names = "--compare",
                description = "Also count the same chunks on one worker alone and print the speedup.")
        boolean compare;

        @Option(names = "--progress", negatable = true,
                description = "Show progress (chunks counted) on stderr, the default: a bar on a terminal,"
                        + " plain lines (at most one a second) otherwise; --no-progress shows none.")
        Boolean progress;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        private final PrintWriter err;

        Options(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws Exception {
            if (workers < 1 || workers > MAX_WORKERS) {
                throw new ParameterException(spec.commandLine(),
                        "--workers must be between 1 and " + MAX_WORKERS + ", not " + workers);
            }
            if (chunks != null && (chunks < 1 || chunks > MAX_CHUNKS)) {
                throw new ParameterException(spec.commandLine(),
                        "--chunks must be between 1 and " + MAX_CHUNKS + ", not " + chunks);
            }
            int chunkCount = chunks != null ? chunks : workers * 8;
            ProgressReporter.Mode mode = ProgressReporter.mode(progress);
            return new Run(workers, limit, chunkCount, compare, out, () -> ProgressReporter.builder(err, "chunks")
                    .mode(mode).build()).call();
        }
    }

    /** Parses {@code --limit}. */
    static final class LimitConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Limits.parse(value, SegmentedSieve.MAX_LIMIT);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Splits [0, limit) into at most {@code count} non-empty chunks of nearly equal size, in order. */
    static List<Range> chunks(long limit, int count) {
        int n = (int) Math.max(1, Math.min(count, limit));
        List<Range> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // limit <= 10^12 and n <= 10^6, so the products fit in a long.
            chunks.add(new Range(limit * i / n, limit * (i + 1) / n));
        }
        return chunks;
    }

    /** One run of the app, from spawning the workers to shutting them down. */
    private static final class Run {
        private final int workers;
        private final long limit;
        private final int chunkCount;
        private final boolean compare;
        private final PrintWriter out;
        private final Supplier<ProgressReporter> progress;

        Run(int workers, long limit, int chunkCount, boolean compare, PrintWriter out,
                Supplier<ProgressReporter> progress) {
            this.workers = workers;
            this.limit = limit;
            this.chunkCount = chunkCount;
            this.compare = compare;
            this.out = out;
            this.progress = progress;
        }

        int call() {
            List<Range> chunks = chunks(limit, chunkCount);
            long primes;
            double wall;
            long spawnStart = System.nanoTime();
            try (WorkerPool pool = startWorkers(workers, "primes-")) {
                out.printf(Locale.ROOT, "started %s in %.3f s%n",
                        plural(workers, "worker"), seconds(System.nanoTime() - spawnStart));
                warmUp(pool);
                long start = System.nanoTime();
                primes = countOn(pool, chunks, progress.get());
                wall = seconds(System.nanoTime() - start);
            }
            out.printf(Locale.ROOT, "primes below %d: %d%n", limit, primes);
            out.printf(Locale.ROOT, "wall time: %.3f s on %s (%s)%n",
                    wall, plural(workers, "worker"), plural(chunks.size(), "chunk"));

            if (compare) {
                // A worker of its own, warmed up as the others were, so the comparison is fair.
                try (WorkerPool alone = startWorkers(1, "primes-alone-")) {
                    warmUp(alone);
                    long oneStart = System.nanoTime();
                    long onePrimes = countOn(alone, chunks, progress.get());
                    double one = seconds(System.nanoTime() - oneStart);
                    if (onePrimes != primes) {
                        throw new IllegalStateException("one worker counted " + onePrimes + " primes, "
                                + workers + " workers counted " + primes);
                    }
                    out.printf(Locale.ROOT, "one worker: %.3f s, speedup: %.2fx%n", one, one / wall);
                }
            }
            return CommandLine.ExitCode.OK;
        }

        /** Spawns {@code count} workers named {@code PREFIX1}, {@code PREFIX2}... and connects to each, several at a time. */
        private static WorkerPool startWorkers(int count, String namePrefix) {
            return WorkerPool.builder(Primes.TYPE)
                    .workers(count)
                    .spawnOptions(index -> SpawnOptions.builder().name(namePrefix + (index + 1)).build())
                    .start();
        }

        /**
         * Has the workers count a small range about three times each (each pulls the next when
         * done), so the timed count does not include class loading and JIT compilation.
         */
        private static void warmUp(WorkerPool pool) {
            MapReduce.onPool(pool, Primes.COUNT).build()
                    .mapReduceCommutative(Collections.nCopies(3 * pool.size(), WARM_UP), Long::sum);
        }

        /**
         * Counts the chunks on the pool's workers, each pulling the next chunk when done with one,
         * and shows the chunks counted so far.
         */
        private static long countOn(WorkerPool pool, List<Range> chunks, ProgressReporter progress) {
            try {
                return MapReduce.onPool(pool, Primes.COUNT).onProgress(progress).build()
                        .mapReduceCommutative(chunks, Long::sum).orElse(0L);
            } finally {
                progress.finish();
            }
        }

        private static String plural(long n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
    }
}
