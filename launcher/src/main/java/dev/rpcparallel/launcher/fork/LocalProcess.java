package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.ProcessEnd;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process this JVM started on this host ({@link LocalLauncher}, {@link WrapLauncher}): the
 * {@link Process} itself and the command line it was started with. Thread-safe.
 */
public final class LocalProcess implements LaunchedProcess {
    private final Process process;
    private final List<String> commandLine;
    private final CompletableFuture<ProcessEnd> end;

    LocalProcess(Process process, List<String> commandLine) {
        this.process = process;
        this.commandLine = List.copyOf(commandLine);
        // Process.exitValue() on Unix is 128+N for a death by signal N.
        this.end = process.onExit().thenApply(exited -> ProcessEnd.fromShellStatus(exited.exitValue()));
    }

    /** The process, for what only a local process offers (its pid, its handle). */
    public Process process() {
        return process;
    }

    public List<String> commandLine() {
        return commandLine;
    }

    @Override
    public String host() {
        return LocalLauncher.HOST;
    }

    @Override
    public String description() {
        return "pid " + process.pid();
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public CompletableFuture<ProcessEnd> onExit() {
        return end;
    }

    @Override
    public void stop(Duration grace) {
        try {
            process.getOutputStream().close();
        } catch (java.io.IOException e) {
            // already closed: the process is gone or going
        }
        process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((exited, timedOut) -> {
                    if (timedOut != null) {
                        process.destroy();
                    }
                });
    }

    @Override
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
