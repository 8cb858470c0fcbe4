package dev.rpcparallel.launcher.fork;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A worker JVM started by this process from a {@link WorkerCommand}, the class path through an
 * {@code @argfile}. Its stdin carries the {@link WorkerBootstrap} and then stays open as a
 * lifeline: the worker treats its end as its master's death, unless {@link #release()} said
 * goodbye first.
 */
public final class WorkerProcess {
    /**
     * Written on the lifeline before a clean close: the worker exits quietly. A close without
     * it means the master died.
     */
    public static final int LIFELINE_RELEASE = 'q';
    private static final int TAIL_LINES = 100;

    private final String name;
    private final Process process;
    private final List<String> command;
    private final OutputStream lifeline;
    private final Optional<OutputPump> stdout;
    private final Optional<OutputPump> stderr;
    private final SpawnOptions options;
    /** This spawn's class-data archive maker, started once the worker has registered. */
    private volatile CdsArchiveMaker.Pending archiveMaker = CdsArchiveMaker.Pending.NONE;

    private WorkerProcess(String name, Process process, List<String> command, Optional<OutputPump> stdout,
            Optional<OutputPump> stderr, SpawnOptions options) {
        this.name = name;
        this.process = process;
        this.command = command;
        this.lifeline = process.getOutputStream();
        this.stdout = stdout;
        this.stderr = stderr;
        this.options = options;
    }

    /** A started process and the command line it was started with. */
    public record Started(Process process, List<String> commandLine) {}

    /**
     * Starts a worker process for a spawn with {@code options} where {@code launch} says, and
     * sends it its bootstrap. On this host the system redirects its output to a file; elsewhere
     * this process copies it there.
     *
     * @param classpathArguments from {@link WorkerClasspath#arguments()}
     * @param parentMarker {@code child-of-PID@HOST}
     * @param foreground leave the process's stdout and stderr to the caller instead of redirecting them
     * @param timeout how long a launch elsewhere may take (connecting, copying the class path)
     * @throws LaunchException when the launcher cannot start it (nothing of it runs then)
     */
    public static WorkerProcess start(WorkerBootstrap bootstrap, SpawnOptions options, List<String> classpathArguments,
            String parentMarker, boolean foreground, WorkerLaunch launch, Duration timeout)
            throws IOException, LaunchException {
        ClassDataSharing.Plan cds = launch.onThisHost() ? WorkerCommand.cdsPlan(options)
                : ClassDataSharing.Plan.none("the worker runs on another host");
        WorkerCommand command = WorkerCommand.forSpawn(options, bootstrap.workerName(), parentMarker,
                classpathArguments, cds.worker(), launch.onThisHost());
        LaunchSpec spec = LaunchSpecs.of(command);
        String name = bootstrap.workerName();
        if (!launch.onThisHost()) {
            Started launched = launchElsewhere(spec, launch, timeout);
            Process process = launched.process();
            Optional<OutputPump> out = pump(process.getInputStream(), options.stdout(), System.out, name, "stdout");
            Optional<OutputPump> err = pump(process.getErrorStream(), options.stderr(), System.err, name, "stderr");
            WorkerProcess worker = new WorkerProcess(name, process, launched.commandLine(), out, err, options);
            sendBootstrap(bootstrap, process);
            return worker;
        }
        Started started = start(spec, launch.prefix(), cds.worker(), foreground ? null : options);
        Process process = started.process();
        Optional<OutputPump> out = Optional.empty();
        Optional<OutputPump> err = Optional.empty();
        if (!foreground && options.stdout().kind() == Redirect.Kind.TO_MASTER) {
            out = Optional.of(OutputPump.start(process.getInputStream(), System.out, name, "stdout"));
        }
        if (!foreground && options.stderr().kind() == Redirect.Kind.TO_MASTER) {
            err = Optional.of(OutputPump.start(process.getErrorStream(), System.err, name, "stderr"));
        }
        WorkerProcess worker = new WorkerProcess(name, process, started.commandLine(), out, err, options);
        sendBootstrap(bootstrap, process);
        worker.archiveMaker = CdsArchiveMaker.pending(cds, bootstrap, options, classpathArguments, parentMarker,
                launch.prefix());
        return worker;
    }

    /**
     * Starts this spawn's class-data archive maker, if it makes one: once the worker has
     * registered, so that the two JVMs do not start at the same time. Only the first call of this
     * or {@link #forgoArchiveMaker()} acts.
     */
    public void startArchiveMaker() {
        archiveMaker.start();
    }

    /** Gives up this spawn's archive maker if not started (its worker did not register): a later spawn makes the archive. */
    public void forgoArchiveMaker() {
        archiveMaker.forgo();
    }

    /**
     * Starts a worker of the master's warm pool where {@code launch} says, and sends it its
     * (pooled) bootstrap. Its stdout and stderr are pipes (on another host: the launcher's
     * streams) nobody reads until {@link #handedOver}; an idle worker prints nothing, so the
     * pipes' buffers are ample.
     *
     * @param processOptions the pool's options; only the process-level ones (JVM options,
     *     environment, working directory, worker class path and command) are used
     * @param timeout how long a launch elsewhere may take (connecting, copying the class path)
     * @throws LaunchException when the launcher cannot start it elsewhere (nothing of it runs then)
     */
    public static Started startIdle(WorkerBootstrap bootstrap, SpawnOptions processOptions,
            List<String> classpathArguments, String parentMarker, WorkerLaunch launch, Duration timeout)
            throws IOException, LaunchException {
        if (!bootstrap.pooled()) {
            throw new IllegalArgumentException("an idle worker needs a pooled bootstrap");
        }
        // Pooled workers on this host share the class-data archive of cold spawns with the same options.
        ClassDataSharing.Plan cds = launch.onThisHost() ? WorkerCommand.cdsPlan(processOptions)
                : ClassDataSharing.Plan.none("the worker runs on another host");
        WorkerCommand command = WorkerCommand.forSpawn(processOptions, bootstrap.workerName(), parentMarker,
                classpathArguments, cds.worker(), launch.onThisHost());
        LaunchSpec spec = LaunchSpecs.of(command);
        Started started = launch.onThisHost() ? start(spec, launch.prefix(), cds.worker(), null)
                : launchElsewhere(spec, launch, timeout);
        sendBootstrap(bootstrap, started.process());
        CdsArchiveMaker.startBeside(cds, bootstrap, processOptions, classpathArguments, parentMarker, launch.prefix());
        return started;
    }

    /** Starts {@code spec} with a launcher whose processes run on another host; the command line names the target. */
    private static Started launchElsewhere(LaunchSpec spec, WorkerLaunch launch, Duration timeout)
            throws LaunchException {
        LaunchedProcess launched = launch.launcher().launch(spec, launch.target(), timeout);
        List<String> described = new ArrayList<>(List.of(launch.target() + ":"));
        if (spec.isWholeCommand()) {
            described.addAll(spec.command());
        } else {
            described.add(spec.javaExecutable());
            described.addAll(spec.jvmOptions());
            described.add(spec.mainClass());
        }
        described.addAll(spec.arguments());
        return new Started(new LaunchedProcessAdapter(launched), described);
    }

    /**
     * An idle worker handed over to a spawn: sends it its assignment, then copies its output as
     * {@code options} say (to the master or discarded: a file redirect is set when a process
     * starts). The assignment goes first: starting the two copying threads takes a millisecond or
     * two, which the worker spends on its state init instead of waiting; nothing it prints
     * meanwhile is lost, its pipes hold it. From now on it is an ordinary worker process.
     *
     * @throws IOException if the process is gone (its lifeline is closed)
     */
    public static WorkerProcess handedOver(Started idle, WorkerBootstrap.Assignment assignment, SpawnOptions options)
            throws IOException {
        String name = assignment.workerName();
        Process process = idle.process();
        assignment.writeTo(process.getOutputStream());
        Optional<OutputPump> out = pump(process.getInputStream(), options.stdout(), System.out, name, "stdout");
        Optional<OutputPump> err = pump(process.getErrorStream(), options.stderr(), System.err, name, "stderr");
        return new WorkerProcess(name, process, idle.commandLine(), out, err, options);
    }

    private static Optional<OutputPump> pump(InputStream from, Redirect redirect, PrintStream to, String name,
            String stream) {
        if (redirect.kind() == Redirect.Kind.TO_MASTER) {
            return Optional.of(OutputPump.start(from, to, name, stream));
        }
        // A file redirect of a process on another host: this process writes the file.
        Optional<Path> file = redirect.file();
        boolean append = redirect.kind() == Redirect.Kind.APPEND_TO_FILE;
        Thread drain = new Thread(() -> {
            try (InputStream in = from;
                    OutputStream sink = file.isPresent()
                            ? new FileOutputStream(file.get().toFile(), append) : OutputStream.nullOutputStream()) {
                in.transferTo(sink);
            } catch (IOException e) {
                // the process is gone, or the file cannot be written: its output is lost, as with a full disk
            }
        }, "rpc-parallel-copy-" + stream + "-" + name);
        drain.setDaemon(true);
        drain.start();
        return Optional.empty();
    }

    static void sendBootstrap(WorkerBootstrap bootstrap, Process process) {
        try {
            bootstrap.writeTo(process.getOutputStream());
        } catch (IOException e) {
            // The JVM failed at once (a bad option, say); its exit and output tell the caller why.
        }
    }

    /**
     * Starts {@code spec} on this host under {@code prefix} ({@link LocalLauncher#start}), its
     * output redirected as {@code redirects}' stdout and stderr say ({@code null}: left as
     * pipes). For an archive maker, the making of its archive is finished when it exits (the
     * dump of its class list, on a thread of its own) or given up at once if it cannot start.
     */
    private static Started start(LaunchSpec spec, List<String> prefix, ClassDataSharing.Plan cds,
            SpawnOptions redirects) throws IOException {
        return start(spec, prefix, cds,
                redirects == null ? ProcessBuilder.Redirect.PIPE : toProcessRedirect(redirects.stdout()),
                redirects == null ? ProcessBuilder.Redirect.PIPE : toProcessRedirect(redirects.stderr()));
    }

    /** As {@link #start(LaunchSpec, List, ClassDataSharing.Plan, SpawnOptions)}, with the output's redirects. */
    static Started start(LaunchSpec spec, List<String> prefix, ClassDataSharing.Plan cds,
            ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr) throws IOException {
        LocalProcess started;
        try {
            started = LocalLauncher.start(spec, prefix, stdout, stderr);
        } catch (IOException | RuntimeException e) {
            cds.making().ifPresent(StaticArchiveMaking::giveUp);
            throw e;
        }
        Process process = started.process();
        cds.making().ifPresent(making -> ArchiveMakerExit.whenExited(process, () -> making.finish(process.exitValue())));
        return new Started(process, started.commandLine());
    }

    private static ProcessBuilder.Redirect toProcessRedirect(Redirect redirect) {
        return switch (redirect.kind()) {
            case TO_MASTER -> ProcessBuilder.Redirect.PIPE;
            case FILE -> ProcessBuilder.Redirect.to(redirect.file().orElseThrow().toFile());
            case APPEND_TO_FILE -> ProcessBuilder.Redirect.appendTo(redirect.file().orElseThrow().toFile());
            case DISCARD -> ProcessBuilder.Redirect.DISCARD;
        };
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

    /**
     * How the process ended, in words: {@code "exit code 3"}, {@code "killed by signal 9
     * (SIGKILL) ..."}, or the reason a remote launcher gives. Only once it has exited.
     */
    public String exitDescription() {
        return process instanceof LaunchedProcessAdapter remote ? remote.end().reason()
                : ExitStatus.describe(process.exitValue());
    }

    /** The process for messages: {@code pid 4711} here, {@code ssh://h1 ...} elsewhere. */
    public String description() {
        return process instanceof LaunchedProcessAdapter remote ? remote.launched().description()
                : "pid " + process.pid();
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
