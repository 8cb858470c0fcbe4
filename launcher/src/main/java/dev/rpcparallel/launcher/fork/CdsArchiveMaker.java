package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.SpawnOptions;
import java.io.IOException;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The archive maker of a spawn that finds no CDS archive ({@link ClassDataSharing}): a second
 * worker JVM, started beside the spawn's own worker with the same command, bootstrap and
 * lifeline (so it dies with its master like any worker), plus the dump options and
 * {@value ClassDataSharing#MAKER_PROPERTY}. It runs a worker's start path and a connection with
 * its first call against itself, no user code, and exits; its JVM writes the archive then, and
 * the plan's exit action checks and installs it. Its output is discarded; a maker that writes no
 * archive is logged at DEBUG with its exit status.
 */
final class CdsArchiveMaker {
    private static final Logger LOG = LogManager.getLogger(CdsArchiveMaker.class);

    private CdsArchiveMaker() {}

    /** Starts the maker of {@code cds} if it makes an archive; a maker that cannot start releases the claim. */
    static void startBeside(ClassDataSharing.Plan cds, WorkerBootstrap bootstrap, SpawnOptions options,
            List<String> classpathArguments, String parentMarker, List<String> prefix) {
        if (!cds.makesArchive()) {
            return;
        }
        ClassDataSharing.Plan maker = cds.maker();
        try {
            WorkerCommand command = WorkerCommand.forSpawn(options, bootstrap.workerName() + "-cds-archive",
                    parentMarker, classpathArguments, maker, true);
            WorkerProcess.Started started = WorkerProcess.start(LaunchSpecs.of(command), prefix, maker,
                    ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD);
            Process process = started.process();
            WorkerProcess.sendBootstrap(bootstrap, process);
            process.onExit().thenAccept(exited -> {
                if (exited.exitValue() != 0) {
                    LOG.debug("The CDS archive maker (pid {}) exited with {}: no archive from it ({})", exited.pid(),
                            ExitStatus.describe(exited.exitValue()), cds.description());
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not start the CDS archive maker ({}): {}", cds.description(), e.toString());
        }
    }
}
