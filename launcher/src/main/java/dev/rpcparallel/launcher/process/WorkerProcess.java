package dev.rpcparallel.launcher.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.registry.PluginsDirectory;
import dev.rpcparallel.launcher.registry.WorkerListing;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A worker JVM started by this process: the same {@code java} binary, the master's JVM options
 * (unless replaced), the class path through an {@code @argfile}, the spawn's own JVM options, the
 * worker main class and a readable marker, {@code rpc-parallel-worker NAME child-of-PID@HOST}. Its
 * stdin carries the {@link WorkerBootstrap} and then stays open as a lifeline: the worker treats
 * its end as its master's death, unless {@link #release()} said goodbye first.
 */
public final class WorkerProcess {
    /** The main class of every spawned worker. */
    public static final String WORKER_MAIN = "dev.rpcparallel.launcher.WorkerMain";
    /** The first program argument of every worker: {@code ps ax | grep rpc-parallel-worker} finds them. */
    public static final String MARKER = "rpc-parallel-worker";
    /**
     * Written on the lifeline before a clean close: the worker exits quietly. A close without
     * it means the master died.
     */
    public static final int LIFELINE_RELEASE = 'q';
    private static final int TAIL_LINES = 100;
    /** {@code false} leaves out {@link #DEFAULT_JVM_OPTIONS} and the default collector. */
    public static final String DEFAULT_JVM_OPTIONS_PROPERTY = "rpcparallel.worker.defaultJvmOptions";
    /** The collector of a worker whose options choose none: small and quick to start. */
    public static final String DEFAULT_COLLECTOR = "-XX:+UseSerialGC";
    /**
     * JVM options every worker gets first (any inherited or spawn option overrides them): keep an
     * idle worker small without capping what a busy one may use.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of();
    private static volatile String workerClasspath;
    /** Work to finish when this JVM exits; the hook is installed once, with the first entry. */
    private static final List<Runnable> AT_SHUTDOWN = new ArrayList<>();
    private static boolean shutdownHookInstalled;

    private final String name;
    private final Process process;
    private final List<String> command;
    private final OutputStream lifeline;
    private final Optional<OutputPump> stdout;
    private final Optional<OutputPump> stderr;
    private final SpawnOptions options;

    WorkerProcess(String name, Process process, List<String> command, Optional<OutputPump> stdout,
            Optional<OutputPump> stderr, SpawnOptions options) {
        this.name = name;
        this.process = process;
        this.command = command;
        this.lifeline = process.getOutputStream();
        this.stdout = stdout;
        this.stderr = stderr;
        this.options = options;
    }

    /**
     * Starts a worker process and sends it its bootstrap.
     *
     * @param classpathArguments the class path and its settings, from {@link #classpathArguments()},
     *     written into the worker's own {@link ClasspathArgFile}
     * @param parentMarker {@code child-of-PID@HOST}
     * @param foreground leave the process's stdout and stderr to the caller instead of redirecting them
     */
    public static WorkerProcess start(WorkerBootstrap bootstrap, SpawnOptions options, String classpathArguments,
            String parentMarker, boolean foreground) throws IOException {
        ClassDataSharing.Plan cds = cdsPlan(options);
        Path argFile = ClasspathArgFile.write(classpathArguments);
        List<String> command = command(options, argFile, bootstrap.workerName(), parentMarker, cds);
        ProcessBuilder builder = processBuilder(command, options);
        if (!foreground) {
            builder.redirectOutput(toProcessRedirect(options.stdout()));
            builder.redirectError(toProcessRedirect(options.stderr()));
        }
        Process process = startProcess(builder, cds, argFile);
        Optional<OutputPump> out = Optional.empty();
        Optional<OutputPump> err = Optional.empty();
        if (!foreground && options.stdout().kind() == Redirect.Kind.TO_MASTER) {
            out = Optional.of(OutputPump.start(process.getInputStream(), System.out, bootstrap.workerName(), "stdout"));
        }
        if (!foreground && options.stderr().kind() == Redirect.Kind.TO_MASTER) {
            err = Optional.of(OutputPump.start(process.getErrorStream(), System.err, bootstrap.workerName(), "stderr"));
        }
        WorkerProcess worker = new WorkerProcess(bootstrap.workerName(), process, command, out, err, options);
        try {
            bootstrap.writeTo(worker.lifeline);
        } catch (IOException e) {
            // The JVM failed at once (a bad option, say); its exit and output tell the caller why.
        }
        return worker;
    }

    /** A worker's process, with the spawn's environment and working directory, not started yet. */
    static ProcessBuilder processBuilder(List<String> command, SpawnOptions options) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(options.environment());
        builder.environment().put(Parallel.WORKER_ENVIRONMENT_VARIABLE, "1");
        options.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
        return builder;
    }

    /**
     * Starts the process; the CDS plan's exit action (installing an archive the worker dumps)
     * runs when it exits, or at once if it cannot start. The worker deletes its argfile when it
     * starts; this deletes it too when the process exits (or cannot start), for a worker that
     * died before its main.
     */
    static Process startProcess(ProcessBuilder builder, ClassDataSharing.Plan cds, Path argFile) throws IOException {
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            ClasspathArgFile.delete(argFile);
            cds.onExit().ifPresent(Runnable::run);
            throw e;
        }
        process.onExit().thenRun(() -> ClasspathArgFile.delete(argFile));
        cds.onExit().ifPresent(install -> whenExited(process, install));
        return process;
    }

    /**
     * Runs {@code action} once the process has exited; also from a shutdown hook of this JVM,
     * for a worker that exits while its master does (within a few seconds).
     */
    private static void whenExited(Process process, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            // Synchronized: the shutdown hook must not return while the other caller is still at it.
            synchronized (done) {
                if (!done.get()) {
                    done.set(true);
                    action.run();
                }
            }
        };
        Runnable atShutdown = () -> {
            try {
                if (process.waitFor(5, TimeUnit.SECONDS)) {
                    once.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        synchronized (AT_SHUTDOWN) {
            if (!shutdownHookInstalled) {
                shutdownHookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    List<Runnable> pending;
                    synchronized (AT_SHUTDOWN) {
                        pending = List.copyOf(AT_SHUTDOWN);
                    }
                    pending.forEach(Runnable::run);
                }, "rpc-parallel-cds-archive"));
            }
            AT_SHUTDOWN.add(atShutdown);
        }
        process.onExit().thenRunAsync(() -> {
            once.run();
            synchronized (AT_SHUTDOWN) {
                AT_SHUTDOWN.remove(atShutdown);
            }
        });
    }

    private static ProcessBuilder.Redirect toProcessRedirect(Redirect redirect) {
        return switch (redirect.kind()) {
            case TO_MASTER -> ProcessBuilder.Redirect.PIPE;
            case FILE -> ProcessBuilder.Redirect.to(redirect.file().orElseThrow().toFile());
            case APPEND_TO_FILE -> ProcessBuilder.Redirect.appendTo(redirect.file().orElseThrow().toFile());
            case DISCARD -> ProcessBuilder.Redirect.DISCARD;
        };
    }

    static List<String> command(SpawnOptions options, Path classpathArgFile, String workerName, String parentMarker,
            ClassDataSharing.Plan cds) {
        List<String> inherited = options.inheritJvmOptions()
                ? InheritedJvmOptions.ofThisJvmForWorker(workerName) : List.of();
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        // First, so that the inherited options and the spawn's (later on the line) win over them.
        command.addAll(cds.options());
        command.addAll(defaultJvmOptions(options, inherited));
        command.addAll(inherited);
        command.add("@" + classpathArgFile);
        // After the class path, so that an option of the spawn (even -cp) wins over the inherited ones.
        command.addAll(options.jvmOptions());
        command.add(WORKER_MAIN);
        command.add(MARKER);
        command.add(workerName);
        command.add(parentMarker);
        return command;
    }

    /** What a spawn with these options does about CDS (see {@link ClassDataSharing}). */
    static ClassDataSharing.Plan cdsPlan(SpawnOptions options) {
        List<String> inherited = options.inheritJvmOptions() ? inheritableJvmOptions() : List.of();
        for (String option : options.jvmOptions()) {
            if (option.equals("-cp") || option.equals("-classpath") || option.startsWith("--class-path")) {
                return ClassDataSharing.Plan.none("the spawn sets its own class path");
            }
        }
        List<String> all = new ArrayList<>(defaultJvmOptions(options, inherited));
        all.addAll(inherited);
        all.addAll(options.jvmOptions());
        return ClassDataSharing.plan(javaBinary(), workerClasspath(), all, options.jvmOptions());
    }

    /**
     * The JVM options every worker starts with unless told otherwise (see {@link #DEFAULT_JVM_OPTIONS}),
     * placed before the inherited and the spawn's own options, so that any of those wins. The
     * serial collector is added only when no option chooses a collector (two would be a JVM
     * error). None when the spawn replaces the JVM options ({@code inheritJvmOptions(false)}: its
     * options are then the worker's, exactly), or with
     * {@value #DEFAULT_JVM_OPTIONS_PROPERTY}{@code =false}, as the master's system property or a
     * {@code -D} among the spawn's JVM options.
     */
    static List<String> defaultJvmOptions(SpawnOptions options, List<String> inherited) {
        List<String> spawnOptions = options.jvmOptions();
        String enabled = ClassDataSharing.setting(DEFAULT_JVM_OPTIONS_PROPERTY, spawnOptions).orElse("true");
        if (!options.inheritJvmOptions() || !Boolean.parseBoolean(enabled.trim())) {
            return List.of();
        }
        List<String> defaults = new ArrayList<>();
        boolean collectorChosen = false;
        for (String option : concat(inherited, spawnOptions)) {
            if (option.matches("-XX:\\+Use\\w*GC")) {
                collectorChosen = true;
            }
        }
        if (!collectorChosen) {
            defaults.add(DEFAULT_COLLECTOR);
        }
        defaults.addAll(DEFAULT_JVM_OPTIONS);
        return defaults;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The {@code java} binary that runs this JVM: the one every worker is started with. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The master's JVM options that make sense in a worker, with file names as the master has
     * them (see {@link InheritedJvmOptions}; a worker's own command makes them per-worker).
     */
    public static List<String> inheritableJvmOptions() {
        return InheritedJvmOptions.ofThisJvm();
    }

    /**
     * The arguments every worker's {@link ClasspathArgFile} holds, one a line: this JVM's class
     * path (plus an installed plugins directory's jars) and the settings that choose plugins.
     * Computed once per master: the class path does not change.
     */
    public static String classpathArguments() {
        String classpath = computeWorkerClasspath();
        workerClasspath = classpath;
        StringBuilder text = new StringBuilder();
        // A plugins directory's jars are on the worker's plain class path; the properties make the
        // worker read the same listing, and its own children get the same jars.
        PluginsDirectory.installed().ifPresent(plugins ->
                text.append(quoted("-D" + PluginsDirectory.PROPERTY + "=" + plugins.directory())).append('\n'));
        String listing = System.getProperty(WorkerListing.PROPERTY);
        if (listing != null && !listing.isBlank()) {
            text.append(quoted("-D" + WorkerListing.PROPERTY + "=" + listing)).append('\n');
        }
        text.append("-cp\n").append(quoted(classpath)).append('\n');
        return text.toString();
    }

    /** A worker's class path: this JVM's, plus the jars of an installed plugins directory. */
    private static String workerClasspath() {
        String classpath = workerClasspath;
        return classpath != null ? classpath : computeWorkerClasspath();
    }

    private static String computeWorkerClasspath() {
        StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
        PluginsDirectory.installed().ifPresent(plugins ->
                plugins.jars().forEach(jar -> classpath.append(File.pathSeparator).append(jar)));
        return classpath.toString();
    }

    static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public SpawnOptions options() {
        return options;
    }

    /** The command line the worker was started with, for error messages. */
    public List<String> command() {
        return command;
    }

    /**
     * The worker's last lines of output, stderr first, wherever they went; waits briefly for the
     * pumps to drain a process that has exited, so that its final words are included.
     */
    public String lastOutput() {
        StringBuilder text = new StringBuilder();
        appendTail(text, "stderr", stderr, options.stderr());
        appendTail(text, "stdout", stdout, options.stdout());
        return text.length() == 0 ? "(it printed nothing)\n" : text.toString();
    }

    private void appendTail(StringBuilder text, String stream, Optional<OutputPump> pump, Redirect redirect) {
        List<String> lines;
        if (pump.isPresent()) {
            if (!process.isAlive()) {
                pump.get().awaitEnd(2_000);
            }
            lines = pump.get().lastLines();
        } else if (redirect.file().isPresent()) {
            lines = tail(redirect.file().get());
        } else {
            if (redirect.kind() == Redirect.Kind.DISCARD) {
                text.append(stream).append(": (discarded)\n");
            }
            return;
        }
        if (!lines.isEmpty()) {
            text.append(stream).append(redirect.file().map(file -> " (" + file + ")").orElse("")).append(":\n");
            lines.forEach(line -> text.append("  ").append(line).append('\n'));
        }
    }

    /** The last lines of a file, reading at most its last 16 KiB. */
    private static List<String> tail(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, 16 * 1024);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            List<String> lines = new String(bytes, UTF_8).lines().collect(Collectors.toList());
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    /** Releases the worker: it exits quietly with status 0. */
    public void release() {
        try {
            lifeline.write(LIFELINE_RELEASE);
            lifeline.flush();
        } catch (IOException e) {
            // The worker is already gone; closing below is all there is left to do.
        }
        try {
            lifeline.close();
        } catch (IOException e) {
            // already closed by the process's exit
        }
    }
}
