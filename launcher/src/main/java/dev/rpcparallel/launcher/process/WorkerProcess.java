package dev.rpcparallel.launcher.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.SpawnOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A worker JVM started by this process: the same {@code java} binary, the master's JVM options
 * (unless replaced), the class path through an {@code @argfile}, the worker main class and a
 * readable marker, {@code rpc-parallel-worker NAME child-of-PID@HOST}. Its stdin carries the
 * {@link WorkerBootstrap} and then stays open: the worker treats its end as its master's death.
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

    private final String name;
    private final Process process;
    private final List<String> command;
    private final OutputStream lifeline;
    private final OutputPump stdout;
    private final OutputPump stderr;

    private WorkerProcess(String name, Process process, List<String> command, OutputPump stdout, OutputPump stderr) {
        this.name = name;
        this.process = process;
        this.command = command;
        this.lifeline = process.getOutputStream();
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts a worker process and sends it its bootstrap.
     *
     * @param classpathArgFile an {@code @argfile} holding {@code -cp CLASSPATH}, from {@link #writeClasspathArgFile}
     * @param parentMarker {@code child-of-PID@HOST}
     */
    public static WorkerProcess start(WorkerBootstrap bootstrap, SpawnOptions options, Path classpathArgFile,
            String parentMarker) throws IOException {
        List<String> command = command(options, classpathArgFile, bootstrap.workerName(), parentMarker);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(options.environment());
        builder.environment().put(dev.rpcparallel.api.Parallel.WORKER_ENVIRONMENT_VARIABLE, "1");
        Process process = builder.start();
        OutputPump out = OutputPump.start(process.getInputStream(), System.out, bootstrap.workerName(), "stdout");
        OutputPump err = OutputPump.start(process.getErrorStream(), System.err, bootstrap.workerName(), "stderr");
        WorkerProcess worker = new WorkerProcess(bootstrap.workerName(), process, command, out, err);
        try {
            bootstrap.writeTo(worker.lifeline);
        } catch (IOException e) {
            // The JVM failed at once (a bad option, say); its exit and output tell the caller why.
        }
        return worker;
    }

    static List<String> command(SpawnOptions options, Path classpathArgFile, String workerName, String parentMarker) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        if (options.inheritJvmOptions()) {
            command.addAll(inheritableJvmOptions());
        }
        command.addAll(options.jvmOptions());
        command.add("@" + classpathArgFile);
        command.add(WORKER_MAIN);
        command.add(MARKER);
        command.add(workerName);
        command.add(parentMarker);
        return command;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The master's JVM options that make sense in a worker: not the class path (given
     * separately), and not a debugger agent, whose port the master already holds.
     */
    static List<String> inheritableJvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-agentlib:jdwp")
                        && !option.startsWith("-Xrunjdwp")
                        && !option.equals("-Xdebug")
                        && !option.startsWith("-Djava.class.path=")
                        && !option.startsWith("-Dsun.java.command=")
                        && !option.startsWith("-Djdk.module."))
                .collect(Collectors.toList());
    }

    /** Writes this JVM's class path into a temporary {@code @argfile}, deleted when the JVM exits. */
    public static Path writeClasspathArgFile() throws IOException {
        Path file = Files.createTempFile("rpc-parallel-classpath-", ".argfile");
        file.toFile().deleteOnExit();
        String classpath = System.getProperty("java.class.path");
        String quoted = "\"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Files.writeString(file, "-cp\n" + quoted + "\n", UTF_8);
        return file;
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** The command line the worker was started with, for error messages. */
    public List<String> command() {
        return command;
    }

    /**
     * The worker's last lines of output, stderr first; waits briefly for the pumps to drain a
     * process that has exited, so that its final words are included.
     */
    public String lastOutput() {
        if (!process.isAlive()) {
            stdout.awaitEnd(2_000);
            stderr.awaitEnd(2_000);
        }
        List<String> err = stderr.lastLines();
        List<String> out = stdout.lastLines();
        if (err.isEmpty() && out.isEmpty()) {
            return "(it printed nothing)";
        }
        StringBuilder text = new StringBuilder();
        if (!err.isEmpty()) {
            text.append("stderr:\n");
            err.forEach(line -> text.append("  ").append(line).append('\n'));
        }
        if (!out.isEmpty()) {
            text.append("stdout:\n");
            out.forEach(line -> text.append("  ").append(line).append('\n'));
        }
        return text.toString();
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
