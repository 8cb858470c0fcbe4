package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.warm.ParkedLink;
import dev.rpcparallel.launcher.fork.WorkerBootstrap;
import dev.rpcparallel.launcher.fork.WorkerProcess;
import dev.rpcparallel.launcher.client.ClientConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A started, idle worker JVM of the master's warm pool: started like a {@link WorkerProcess}
 * from the pool's process options, with a {@link WorkerBootstrap#pooled() pooled} bootstrap,
 * its output left in pipes until {@link #handOver}.
 */
final class WarmWorkerProcess {
    private final String poolName;
    private final WorkerProcess.Started started;
    private final Process process;
    private final SpawnOptions processOptions;
    /** The master's parked link to it, if one was opened; closed when the worker is discarded or dies. */
    private final AtomicReference<ParkedLink> link = new AtomicReference<>();

    WarmWorkerProcess(String poolName, WorkerProcess.Started started, SpawnOptions processOptions) {
        this.poolName = poolName;
        this.started = started;
        this.process = started.process();
        this.processOptions = processOptions;
    }

    /**
     * Whether a spawn with these options can be served by a worker started with
     * {@code processOptions}: the same JVM options, environment and working directory (fixed
     * when the JVM starts, as are the worker's class path, main class and command), and output copied to the master or discarded (a file redirect is set
     * when the process starts). Name, shutdown mode, timeouts and failure callback apply at handover.
     */
    static boolean canServe(SpawnOptions processOptions, SpawnOptions spawn) {
        return processOptions.inheritJvmOptions() == spawn.inheritJvmOptions()
                && processOptions.jvmOptions().equals(spawn.jvmOptions())
                && processOptions.environment().equals(spawn.environment())
                && Objects.equals(processOptions.workingDirectory(), spawn.workingDirectory())
                && processOptions.workerClasspath().equals(spawn.workerClasspath())
                && processOptions.workerMainClass().equals(spawn.workerMainClass())
                && processOptions.workerCommand().equals(spawn.workerCommand())
                && pumpable(spawn.stdout()) && pumpable(spawn.stderr());
    }

    private static boolean pumpable(Redirect redirect) {
        return redirect.kind() == Redirect.Kind.TO_MASTER || redirect.kind() == Redirect.Kind.DISCARD;
    }

    /** The name it was started with, {@code warm-N}, shown in {@code ps} even after its handover. */
    String poolName() {
        return poolName;
    }

    Process process() {
        return process;
    }

    SpawnOptions processOptions() {
        return processOptions;
    }

    /**
     * Keeps the master's parked link to this idle worker, for the first connect after its
     * handover; it is closed if the worker exits or is released first.
     */
    public void attachLink(ParkedLink parked) {
        link.set(parked);
        process.onExit().thenRun(this::closeLink);
    }

    /** The parked link, now the caller's to adopt or close; empty if none was opened or it is gone. */
    public Optional<ParkedLink> takeLink() {
        return Optional.ofNullable(link.getAndSet(null));
    }

    /** The parked link while idle, for tests and diagnostics. */
    public Optional<ParkedLink> link() {
        return Optional.ofNullable(link.get());
    }

    private void closeLink() {
        ParkedLink parked = link.getAndSet(null);
        if (parked != null) {
            parked.close();
        }
    }

    /**
     * Hands the worker over to a spawn: starts copying its output as {@code options} say, then
     * sends it its assignment. From now on it is an ordinary {@link WorkerProcess}.
     *
     * @throws IOException if the process is gone (its lifeline is closed)
     */
    WorkerProcess handOver(WorkerBootstrap.Assignment assignment, SpawnOptions options) throws IOException {
        if (!canServe(processOptions, options)) {
            throw new IllegalArgumentException("a warm worker cannot serve a spawn with other process options");
        }
        return WorkerProcess.handedOver(started, assignment, options);
    }

    /** What a worker that exited while idle printed, for the pool's warning. */
    String outputOfExited() {
        StringBuilder text = new StringBuilder();
        for (InputStream stream : List.of(process.getErrorStream(), process.getInputStream())) {
            try {
                String printed = new String(stream.readNBytes(16 * 1024), java.nio.charset.StandardCharsets.UTF_8);
                if (!printed.isBlank()) {
                    text.append(printed.strip().indent(2));
                }
            } catch (IOException e) {
                // nothing left to read
            }
        }
        return text.length() == 0 ? "  (it printed nothing)\n" : text.toString();
    }

    /** Ends an idle worker quietly: it exits with status 0. */
    void release() {
        closeLink();
        try {
            OutputStream lifeline = process.getOutputStream();
            lifeline.write(WorkerProcess.LIFELINE_RELEASE);
            lifeline.flush();
            lifeline.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
