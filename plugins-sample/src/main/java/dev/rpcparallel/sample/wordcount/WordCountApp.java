package dev.rpcparallel.sample.wordcount;

import dev.rpcparallel.mapreduce.MapReduce;
import dev.rpcparallel.mapreduce.Progress;
import dev.rpcparallel.mapreduce.ProgressReporter;
import dev.rpcparallel.sample.SampleCommands;
import dev.rpcparallel.spi.MasterApp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc-parallel run wordcount [FILE|DIR...]}: counts the words of text files with
 * {@link MapReduce#mapReduceCommutative}, one file per input, and prints the most frequent words
 * and the time taken. With no files it generates a corpus (see {@link Corpus}) in a temporary
 * directory, counts it on one worker and then on two, and prints the speedup.
 *
 * <p>Exit codes: 0 on success, 2 for bad arguments, 1 for any other failure, each failure with a
 * one-line message on stderr.
 */
public final class WordCountApp implements MasterApp {
    static final int MAX_WORKERS = 256;
    static final long CORPUS_SEED = 20_261_123L;

    @Override
    public String name() {
        return "wordcount";
    }

    @Override
    public String description() {
        return "Counts the words of text files (or of a generated corpus) with map-reduce on several workers";
    }

    @Override
    public int run(List<String> args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return SampleCommands.run("wordcount", new Options(out, err), out, err, args);
    }

    @Command(
            name = "wordcount",
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Counts the words of text files on several workers (map: count one file; reduce: add the"
                        + " counts) and prints the most frequent words and the wall time.",
                "With no FILE it generates a corpus of English-like text, counts it on one worker and then"
                        + " on --workers workers, and prints the speedup.",
            },
            footer = {"", "Exit codes: 0 success, 1 failure, 2 bad arguments."})
    static final class Options implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final PrintWriter out;
        private final PrintWriter err;

        @Parameters(paramLabel = "FILE", arity = "0..*",
                description = "Text files (UTF-8) or directories, whose regular files are read recursively.")
        List<Path> files = new ArrayList<>();

        @Option(names = "--workers", paramLabel = "N",
                description = "Number of workers (default: ${DEFAULT-VALUE}).")
        int workers = 2;

        @Option(names = "--top", paramLabel = "K", description = "Print the K most frequent words (default: ${DEFAULT-VALUE}).")
        int top = 10;

        @Option(names = "--compare",
                description = "Also count on one worker alone and print the speedup (always on for the generated corpus).")
        boolean compare;

        @Option(names = "--corpus-mb", paramLabel = "MB",
                description = "Size of the generated corpus in MB when no FILE is given (default: ${DEFAULT-VALUE}).")
        int corpusMegabytes = 64;

        @Option(names = "--progress", negatable = true,
                description = "Show progress on stderr, the default: a bar on a terminal, plain lines"
                        + " (at most one a second) otherwise; --no-progress shows none.")
        Boolean progress;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

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
            if (top < 0) {
                throw new ParameterException(spec.commandLine(), "--top must not be negative, not " + top);
            }
            if (corpusMegabytes < 1 || corpusMegabytes > 4096) {
                throw new ParameterException(spec.commandLine(),
                        "--corpus-mb must be between 1 and 4096, not " + corpusMegabytes);
            }
            if (files.isEmpty()) {
                Path directory = Files.createTempDirectory("rpc-parallel-wordcount-");
                try {
                    long start = System.nanoTime();
                    int fileCount = Math.max(8, corpusMegabytes / 2);
                    List<Path> corpus = Corpus.generate(
                            directory, fileCount, corpusMegabytes * 1_000_000 / fileCount, CORPUS_SEED);
                    out.printf(Locale.ROOT, "corpus: %d generated files, %s in %s (%.3f s)%n",
                            corpus.size(), megabytes(corpus), directory, seconds(System.nanoTime() - start));
                    return count(corpus, true);
                } finally {
                    deleteRecursively(directory);
                }
            }
            for (Path file : files) {
                if (!Files.exists(file)) {
                    throw new ParameterException(spec.commandLine(), "no such file or directory: " + file
                            + " (FILE names a text file, or a directory whose files are all read)");
                }
            }
            List<Path> inputs = expand(files);
            if (inputs.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no regular files in " + files);
            }
            out.printf(Locale.ROOT, "input: %d files, %s%n", inputs.size(), megabytes(inputs));
            return count(inputs, compare);
        }

        private int count(List<Path> inputs, boolean compareWithOne) {
            List<String> paths = inputs.stream().map(p -> p.toAbsolutePath().toString()).toList();
            Timed one = null;
            if (compareWithOne) {
                one = countOn(1, paths);
                out.printf(Locale.ROOT, "1 worker:  %.3f s counting (%.3f s with starting the worker)%n",
                        one.counting(), one.total());
            }
            Timed many = countOn(workers, paths);
            out.printf(Locale.ROOT, "%s: %.3f s counting (%.3f s with starting the workers)%n",
                    plural(workers, "worker"), many.counting(), many.total());
            if (one != null && !one.counts().equals(many.counts())) {
                throw new IllegalStateException("1 worker and " + workers + " workers counted differently");
            }
            long words = many.counts().values().stream().mapToLong(Long::longValue).sum();
            out.printf(Locale.ROOT, "%,d words, %,d distinct; the %d most frequent:%n",
                    words, many.counts().size(), Math.min(top, many.counts().size()));
            for (Map.Entry<String, Long> entry : WordCounter.top(many.counts(), top)) {
                out.printf(Locale.ROOT, "%,14d  %s%n", entry.getValue(), entry.getKey());
            }
            if (one != null) {
                out.printf(Locale.ROOT, "speedup of %s over 1: %.2fx (counting time, %s available)%n",
                        plural(workers, "worker"), one.counting() / many.counting(),
                        plural(Runtime.getRuntime().availableProcessors(), "processor"));
            }
            return CommandLine.ExitCode.OK;
        }

        private record Timed(Map<String, Long> counts, double counting, double total) {}

        private Timed countOn(int workerCount, List<String> paths) {
            AtomicReference<Progress> last = new AtomicReference<>();
            ProgressReporter reporter = ProgressReporter.builder(err, "files")
                    .mode(ProgressReporter.mode(progress))
                    .build();
            MapReduce<String, Map<String, Long>> job = MapReduce.builder(WordCount.TYPE, WordCount.COUNT_FILE)
                    .workers(workerCount)
                    .onProgress(p -> {
                        last.set(p);
                        reporter.accept(p);
                    })
                    .build();
            long start = System.nanoTime();
            Map<String, Long> counts = job.mapReduceCommutative(paths, WordCounter::merge).orElse(Map.of());
            double total = seconds(System.nanoTime() - start);
            reporter.finish();
            return new Timed(counts, seconds(last.get().elapsed().toNanos()), total);
        }
    }

    /** The regular files given, directories replaced by their regular files (recursively), in name order. */
    static List<Path> expand(List<Path> given) throws IOException {
        List<Path> result = new ArrayList<>();
        for (Path path : given) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).forEach(result::add);
                }
            } else if (Files.isRegularFile(path)) {
                result.add(path);
            } else if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString(), null, "no such file or directory");
            } else {
                throw new IOException(path + " is neither a regular file nor a directory");
            }
        }
        return result;
    }

    private static String megabytes(List<Path> files) {
        long bytes = 0;
        for (Path file : files) {
            try {
                bytes += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
