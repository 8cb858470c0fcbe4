package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.ProcessEnd;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link LaunchedProcess} of another host or engine seen as a {@link Process}, so that the
 * master's bookkeeping treats every worker alike. Its {@link #exitValue()} is the exit code, or
 * 128+N for a death by signal N, or 255 for an end the engine reports ({@link #end()} says
 * which, in words). It has no pid here ({@link #pid()} throws): nothing watches it by pid, and
 * {@link #destroyForcibly()} asks the launcher to kill it. Thread-safe.
 */
public final class LaunchedProcessAdapter extends Process {
    /** The exit value of a process the engine ended (a lost connection, a cancelled job). */
    public static final int ENGINE_END_STATUS = 255;

    private final LaunchedProcess launched;
    private final CompletableFuture<Process> exit;

    public LaunchedProcessAdapter(LaunchedProcess launched) {
        this.launched = launched;
        this.exit = launched.onExit().thenApply(end -> this);
    }

    public LaunchedProcess launched() {
        return launched;
    }

    /** How it ended, once it has. */
    public ProcessEnd end() {
        ProcessEnd end = launched.onExit().getNow(null);
        if (end == null) {
            throw new IllegalThreadStateException(launched.description() + " has not exited");
        }
        return end;
    }

    @Override
    public OutputStream getOutputStream() {
        return launched.stdin();
    }

    @Override
    public InputStream getInputStream() {
        return launched.stdout();
    }

    @Override
    public InputStream getErrorStream() {
        return launched.stderr();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            launched.onExit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return exitValue();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            launched.onExit().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public int exitValue() {
        ProcessEnd end = end();
        return switch (end.kind()) {
            case EXITED -> end.code();
            case SIGNALLED -> 128 + end.code();
            case ENGINE -> ENGINE_END_STATUS;
        };
    }

    @Override
    public void destroy() {
        launched.stop(Duration.ZERO);
    }

    @Override
    public Process destroyForcibly() {
        launched.kill();
        return this;
    }

    @Override
    public boolean isAlive() {
        return !launched.onExit().isDone();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public long pid() {
        throw new UnsupportedOperationException(launched.description() + " runs on " + launched.host()
                + ": no pid here");
    }

    @Override
    public String toString() {
        return launched.description();
    }
}
