package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.ClassDataSharingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The making of one class path's static CDS archive ({@link ClassDataSharing}), in two steps,
 * both after the spawn's worker has registered: the archive maker ({@link CdsArchiveMaker}, a
 * worker JVM that runs only a worker's steps through its first answer, against itself) writes the list of the classes it loaded
 * ({@code -XX:DumpLoadedClassList}, lambda proxies included); once it has exited with status 0,
 * a {@code java -Xshare:dump} of that list ({@link StaticArchiveDump}) writes the archive to a
 * temporary file, which {@link CdsArchives#install} checks and renames into place. Any other
 * outcome (the maker failed, was killed or never started; the list is empty; the dump failed or
 * ran out of time) installs nothing: the temporary files are deleted and the claim released, so
 * that a later spawn makes the archive. Thread-safe: only the first call of {@link #finish} or
 * {@link #giveUp} acts; {@link #finish} blocks for the dump (seconds), so it runs off the spawn's
 * path (when the maker's process has exited).
 */
final class StaticArchiveMaking {
    private static final Logger LOG = LogManager.getLogger(StaticArchiveMaking.class);

    private final StaticArchiveDump dump;
    private final Path classList;
    private final Path temporary;
    private final Path archive;
    private final Path checksum;
    private final Path claim;
    private final AtomicBoolean done = new AtomicBoolean();

    /**
     * @param dump how the archive is dumped from the class list
     * @param temporary where the maker writes its class list and the dump the archive, with the
     *     suffixes {@code .classlist.tmp} and {@code .tmp} (names {@link CdsArchives#cleanUp} knows)
     */
    StaticArchiveMaking(StaticArchiveDump dump, Path temporary, Path archive, Path checksum, Path claim) {
        this.dump = dump;
        this.classList = Path.of(temporary + ".classlist.tmp");
        this.temporary = Path.of(temporary + ".tmp");
        this.archive = archive;
        this.checksum = checksum;
        this.claim = claim;
    }

    /** The options that make a worker JVM the archive maker: it writes its class list, runs no user code, and exits. */
    List<String> makerOptions() {
        return List.of(ClassDataSharing.QUIET, "-XX:DumpLoadedClassList=" + classList,
                "-D" + ClassDataSharing.MAKER_PROPERTY + "=true");
    }

    /** The archive this making installs. */
    Path archive() {
        return archive;
    }

    /**
     * After the maker has exited with {@code makerExitStatus}: dumps and installs the archive if
     * that is 0 and the class list is not empty; in every case deletes the temporary files and
     * releases the claim.
     */
    void finish(int makerExitStatus) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        boolean installed = false;
        try {
            if (makerExitStatus != 0) {
                LOG.debug("The CDS archive maker exited with {}: no archive from its class list ({})",
                        ExitStatus.describe(makerExitStatus), archive);
            } else if (!Files.isRegularFile(classList) || Files.size(classList) == 0) {
                LOG.debug("The CDS archive maker wrote no class list: no archive ({})", archive);
            } else {
                boolean dumped = dump.run(classList, temporary);
                // Before the claim is released: once it is gone, nothing of this making is left to delete.
                CdsArchives.deleteQuietly(classList);
                if (dumped) {
                    CdsArchives.install(temporary, archive, checksum, claim);
                    installed = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not make the CDS archive {}: {}", archive, e.toString());
        } finally {
            CdsArchives.deleteQuietly(classList);
            if (!installed) {
                CdsArchives.abandon(temporary, claim);
            }
        }
    }

    /** Without a maker (its worker never registered, or it could not start): nothing to install, the claim released. */
    void giveUp() {
        if (done.compareAndSet(false, true)) {
            CdsArchives.deleteQuietly(classList);
            CdsArchives.abandon(temporary, claim);
        }
    }

    /**
     * How a class list becomes a static archive: {@code java -Xshare:dump} with the worker's
     * {@code java}, class path and the JVM options that must match between the dump and the
     * workers that map the archive.
     *
     * @param javaBinary the workers' {@code java}
     * @param classpath the workers' class path, exactly as their {@code -cp} gives it (a static
     *     archive is only mapped by a JVM whose class path starts with the dump's)
     * @param options the workers' JVM options that bear on the archive
     *     ({@link ClassDataSharingOptions#staticDumpOptions})
     */
    record StaticArchiveDump(String javaBinary, String classpath, List<String> options) {
        /** A dump that takes longer than this is ended: no archive. */
        static final long TIMEOUT_SECONDS = ClassDataSharingOptions.DUMP_TIMEOUT_SECONDS;

        StaticArchiveDump {
            options = List.copyOf(options);
        }

        /** Dumps {@code classList} into {@code target}; {@code true} if the JVM wrote it and exited with 0. */
        boolean run(Path classList, Path target) throws IOException {
            Path argFile = ClasspathArgFile.write(List.of("-cp", classpath));
            try {
                List<String> command = new ArrayList<>();
                command.add(javaBinary);
                command.addAll(options);
                command.add("-Xshare:dump");
                command.add("-XX:SharedClassListFile=" + classList);
                command.add("-XX:SharedArchiveFile=" + target);
                command.add("@" + argFile);
                Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                boolean exited;
                try {
                    exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exited = false;
                }
                if (!exited) {
                    process.destroyForcibly();
                    LOG.debug("The CDS dump into {} took over {} s: ended, no archive", target, TIMEOUT_SECONDS);
                    return false;
                }
                if (process.exitValue() != 0) {
                    LOG.debug("The CDS dump into {} exited with {}: no archive", target,
                            ExitStatus.describe(process.exitValue()));
                    return false;
                }
                return Files.isRegularFile(target) && Files.size(target) > 0;
            } finally {
                ClasspathArgFile.delete(argFile);
            }
        }
    }
}
