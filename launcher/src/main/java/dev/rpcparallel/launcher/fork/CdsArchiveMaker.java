package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.SpawnOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The archive maker of a spawn that finds no CDS archive ({@link ClassDataSharing}): a second
 * worker JVM, started once the spawn's own worker has registered (not beside its start, where
 * two JVMs starting at once on few cores slowed that first spawn), with the same command,
 * bootstrap and lifeline (so it dies with its master like any worker), plus the dump options and
 * {@value ClassDataSharing#MAKER_PROPERTY}. It runs a worker's steps through its first answer
 * against itself (those after registering too: heartbeats, its ps entry), no user code, telling
 * nobody, and exits; its JVM has written the list of the
 * classes it loaded, which {@link StaticArchiveMaking#finish} turns into the archive once the
 * maker has exited with status 0. Its output is discarded; a maker that exits otherwise is
 * logged at DEBUG with its exit status, and leaves no archive.
 */
final class CdsArchiveMaker {
    private static final Logger LOG = LogManager.getLogger(CdsArchiveMaker.class);

    private CdsArchiveMaker() {}

    /**
     * A spawn's archive maker, not started yet: the spawn starts it once its worker has
     * registered ({@link #start}), so the maker does not compete with that worker's start for the
     * processor; a spawn whose worker did not register gives it up ({@link #forgo}), which releases
     * the claim on the archive. Thread-safe: only the first call of either acts.
     */
    static final class Pending {
        /** The pending maker of a spawn that makes no archive. */
        static final Pending NONE = new Pending(null, null, null, null, null, null);

        private final ClassDataSharing.Plan cds;
        private final WorkerBootstrap bootstrap;
        private final SpawnOptions options;
        private final List<String> classpathArguments;
        private final String parentMarker;
        private final List<String> prefix;
        private final AtomicBoolean done = new AtomicBoolean();

        private Pending(ClassDataSharing.Plan cds, WorkerBootstrap bootstrap, SpawnOptions options,
                List<String> classpathArguments, String parentMarker, List<String> prefix) {
            this.cds = cds;
            this.bootstrap = bootstrap;
            this.options = options;
            this.classpathArguments = classpathArguments;
            this.parentMarker = parentMarker;
            this.prefix = prefix;
        }

        void start() {
            if (cds != null && done.compareAndSet(false, true)) {
                startBeside(cds, bootstrap, options, classpathArguments, parentMarker, prefix);
            }
        }

        void forgo() {
            if (cds != null && done.compareAndSet(false, true)) {
                cds.making().ifPresent(StaticArchiveMaking::giveUp);
            }
        }
    }

    /** The maker of {@code cds}, to start when the spawn's worker has registered; {@link Pending#NONE} if it makes none. */
    static Pending pending(ClassDataSharing.Plan cds, WorkerBootstrap bootstrap, SpawnOptions options,
            List<String> classpathArguments, String parentMarker, List<String> prefix) {
        return cds.makesArchive() ? new Pending(cds, bootstrap, options, classpathArguments, parentMarker, prefix)
                : Pending.NONE;
    }

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
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not start the CDS archive maker ({}): {}", cds.description(), e.toString());
        }
    }
}
