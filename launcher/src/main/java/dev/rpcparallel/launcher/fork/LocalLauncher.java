package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.Availability;
import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code local:}, the default launcher: forks the process on this host, its class path in an
 * {@code @argfile} ({@link ClasspathArgFile}) so that no command line grows past the system's
 * limit. The process is this JVM's child: the worker watches its master's pid besides its stdin.
 *
 * <p>Used through the SPI ({@link #launch}: stdout and stderr are pipes), and by the master
 * directly ({@link #start}), which lets the operating system redirect the output to a file.
 * Thread-safe and stateless.
 */
public final class LocalLauncher implements WorkerLauncher {
    /** The scheme of this launcher. */
    public static final String SCHEME = "local";
    /** The host a local process runs on, as {@link LocalProcess#host()} names it. */
    static final String HOST = "localhost";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public LaunchedProcess launch(LaunchSpec spec, URI target, Duration timeout) throws LaunchException {
        requireScheme(target, SCHEME);
        return startOrExplain(spec, List.of(), ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE, target);
    }

    static LocalProcess startOrExplain(LaunchSpec spec, List<String> prefix, ProcessBuilder.Redirect stdout,
            ProcessBuilder.Redirect stderr, URI target) throws LaunchException {
        try {
            return start(spec, prefix, stdout, stderr);
        } catch (IOException e) {
            throw new LaunchException(target + ": cannot start " + String.join(" ", commandStart(spec, prefix))
                    + ": " + e.getMessage() + ". Fix: check that the program exists and is executable", e);
        }
    }

    /**
     * Starts {@code spec} on this host under {@code prefix} (empty: none), its output redirected
     * as given. The {@code @argfile} is deleted when the process exits, or at once if it cannot
     * start (the worker deletes it itself when its main starts).
     */
    public static LocalProcess start(LaunchSpec spec, List<String> prefix, ProcessBuilder.Redirect stdout,
            ProcessBuilder.Redirect stderr) throws IOException {
        Path argFile = spec.isWholeCommand() ? null : ClasspathArgFile.write(spec.classPath().isEmpty() ? List.of()
                : List.of("-cp", spec.classPath().stream().map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator))));
        List<String> commandLine = new ArrayList<>(commandStart(spec, prefix));
        if (argFile != null) {
            commandLine.addAll(spec.jvmOptions());
            commandLine.add("@" + argFile);
            commandLine.add(spec.mainClass());
        }
        commandLine.addAll(spec.arguments());
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().putAll(spec.environment());
        spec.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
        builder.redirectOutput(stdout);
        builder.redirectError(stderr);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            if (argFile != null) {
                ClasspathArgFile.delete(argFile);
            }
            throw ProcessStartFailure.explain(e, spec.workingDirectory(), stdout, stderr);
        } catch (RuntimeException e) {
            if (argFile != null) {
                ClasspathArgFile.delete(argFile);
            }
            throw e;
        }
        if (argFile != null) {
            process.onExit().thenRun(() -> ClasspathArgFile.delete(argFile));
        }
        return new LocalProcess(process, commandLine);
    }

    private static List<String> commandStart(LaunchSpec spec, List<String> prefix) {
        List<String> start = new ArrayList<>(prefix);
        if (spec.isWholeCommand()) {
            start.addAll(spec.command());
        } else {
            start.add(spec.javaExecutable());
        }
        return start;
    }

    static void requireScheme(URI target, String scheme) {
        if (!scheme.equalsIgnoreCase(target.getScheme())) {
            throw new IllegalArgumentException("not a " + scheme + ": target: " + target);
        }
    }
}
