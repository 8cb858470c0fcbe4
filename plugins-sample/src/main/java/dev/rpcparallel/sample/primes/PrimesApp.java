package dev.rpcparallel.sample.primes;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.mapreduce.ProgressReporter;
import dev.rpcparallel.sample.primes.Primes.Range;
import dev.rpcparallel.spi.MasterApp;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
    /** At most this many workers are started at the same time. */
    private static final int SPAWN_THREADS = 8;
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
                    err.println("primes: " + ChunkDispatcher.describe(e));
                    return CommandLine.ExitCode.SOFTWARE;
                });
        try {
            return commandLine.execute(args.toArray(String[]::new));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            // picocli passes errors through; a broken class path is still a failure to report
            err.println("primes: " + ChunkDispatcher.describe(e));
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

        int call() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, SPAWN_THREADS),
                    daemonThreads("primes-master"));
            List<Connection> connections = new ArrayList<>();
            try {
                long spawnStart = System.nanoTime();
                connections.addAll(startWorkers(pool));
                out.printf(Locale.ROOT, "started %s in %.3f s%n",
                        plural(workers, "worker"), seconds(System.nanoTime() - spawnStart));
                Executor continuations = lenient(pool);
                warmUp(connections, continuations);

                List<Range> chunks = chunks(limit, chunkCount);
                long start = System.nanoTime();
                long primes = countOn(connections, chunks, continuations, progress.get());
                double wall = seconds(System.nanoTime() - start);
                out.printf(Locale.ROOT, "primes below %d: %d%n", limit, primes);
                out.printf(Locale.ROOT, "wall time: %.3f s on %s (%s)%n",
                        wall, plural(workers, "worker"), plural(chunks.size(), "chunk"));

                if (compare) {
                    long oneStart = System.nanoTime();
                    long onePrimes = countOn(connections.subList(0, 1), chunks, continuations, progress.get());
                    double one = seconds(System.nanoTime() - oneStart);
                    if (onePrimes != primes) {
                        throw new IllegalStateException("one worker counted " + onePrimes + " primes, "
                                + workers + " workers counted " + primes);
                    }
                    out.printf(Locale.ROOT, "one worker: %.3f s, speedup: %.2fx%n", one, one / wall);
                }
            } catch (Exception | Error e) {
                try {
                    shutDown(connections);
                } catch (RuntimeException shutdownFailure) {
                    e.addSuppressed(shutdownFailure);
                }
                throw e;
            } finally {
                pool.shutdown();
            }
            shutDown(connections);
            return CommandLine.ExitCode.OK;
        }

        /**
         * Spawns the workers and connects to each, several at a time. If any fails, shuts down
         * the ones that started and throws the first failure.
         */
        private List<Connection> startWorkers(ExecutorService threads) throws Exception {
            List<Future<Connection>> starting = new ArrayList<>();
            for (int i = 1; i <= workers; i++) {
                String name = "primes-" + i;
                starting.add(threads.submit(() -> startWorker(name)));
            }
            List<Connection> started = new ArrayList<>();
            Throwable failure = null;
            for (Future<Connection> future : starting) {
                try {
                    started.add(future.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
            if (failure != null) {
                shutDown(started);
                if (failure instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) failure;
            }
            return started;
        }

        private static Connection startWorker(String name) {
            WorkerRef worker = Parallel.spawn(Primes.TYPE, null, SpawnOptions.builder().name(name).build());
            try {
                return Parallel.connect(worker, Primes.TYPE, null);
            } catch (RuntimeException e) {
                try {
                    Parallel.shutdown(worker);
                } catch (RuntimeException shutdownFailure) {
                    e.addSuppressed(shutdownFailure);
                }
                throw e;
            }
        }

        /**
         * Has every worker count a small range a few times, so the timed count does not include
         * class loading and JIT compilation.
         */
        private static void warmUp(List<Connection> connections, Executor continuations) throws Exception {
            List<Range> ranges = List.of(WARM_UP, WARM_UP, WARM_UP);
            List<CompletableFuture<Long>> warming = new ArrayList<>();
            for (Connection connection : connections) {
                warming.add(ChunkDispatcher.countAll(
                        ranges, List.of(range -> connection.callAsync(Primes.COUNT, range)), continuations));
            }
            for (CompletableFuture<Long> future : warming) {
                join(future);
            }
        }

        /**
         * Counts the chunks on these workers, each pulling the next chunk when done with one, and
         * shows the chunks counted so far.
         */
        private static long countOn(List<Connection> connections, List<Range> chunks, Executor continuations,
                ProgressReporter progress) throws Exception {
            AtomicInteger counted = new AtomicInteger();
            OptionalLong total = OptionalLong.of(chunks.size());
            progress.update(0, total);
            List<Function<Range, CompletableFuture<Long>>> workers = new ArrayList<>();
            for (Connection connection : connections) {
                workers.add(range -> connection.callAsync(Primes.COUNT, range).whenComplete((count, failure) -> {
                    if (failure == null) {
                        progress.update(counted.incrementAndGet(), total);
                    }
                }));
            }
            try {
                return join(ChunkDispatcher.countAll(chunks, workers, continuations));
            } finally {
                progress.finish();
            }
        }

        private static long join(CompletableFuture<Long> future) throws Exception {
            try {
                return future.get();
            } catch (ExecutionException e) {
                Throwable cause = ChunkDispatcher.unwrap(e);
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw e;
            }
        }

        /** Asks every worker to shut down; reports (and throws) failures after trying them all. */
        private static void shutDown(List<Connection> connections) {
            RuntimeException failure = null;
            for (Connection connection : connections) {
                try {
                    connection.shutdownWorker();
                } catch (RuntimeException e) {
                    RuntimeException wrapped = new IllegalStateException("could not shut down worker '"
                            + connection.worker().name() + "': " + ChunkDispatcher.describe(e), e);
                    if (failure == null) {
                        failure = wrapped;
                    } else {
                        failure.addSuppressed(wrapped);
                    }
                } finally {
                    connection.close();
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        /**
         * Runs tasks on the pool, or drops them once the pool is shut down: after a run, late
         * completions of calls that were in flight have nothing left to do, and a rejection would
         * be thrown into the connection thread that completed the call.
         */
        private static Executor lenient(ExecutorService pool) {
            return task -> {
                try {
                    pool.execute(task);
                } catch (RejectedExecutionException e) {
                    // the run is over
                }
            };
        }

        private static String plural(long n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }

        private static ThreadFactory daemonThreads(String prefix) {
            AtomicInteger counter = new AtomicInteger();
            return runnable -> {
                Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
