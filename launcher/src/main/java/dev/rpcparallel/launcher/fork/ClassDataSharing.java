package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.ClassDataSharingOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Application class data sharing (AppCDS) for worker JVMs: one static CDS archive of the classes
 * a starting worker loads, the JDK's and the class path's, made on first use and cached by a
 * hash of the {@code java} binary, its version, the class path (each entry's path, size and
 * modification time) and the JVM options that bear on CDS. A worker names only that archive
 * ({@code -XX:SharedArchiveFile}), which takes the place of the JDK's default one: it maps one
 * archive of what it uses, not the JDK's (about 1,300 classes, most unused by a worker) plus one
 * of its own. This JDK maps archives at a random address and so touches every page of an archive
 * it maps: the smaller mapping is resident memory saved in every worker. A worker mapping the
 * archive skips parsing, verifying and linking those classes.
 *
 * <p>The first spawn of a class path, finding no archive, starts its worker without one (with the
 * JDK's default archive) and, once that worker has registered, an archive maker
 * ({@link CdsArchiveMaker}): a worker JVM with {@code -XX:DumpLoadedClassList=<temporary file>}
 * and {@value #MAKER_PROPERTY} that runs a worker's steps through its first answer (its start, a
 * connection and its first call, a typed call answering {@code byte[]}, heartbeats and its ps
 * entry as after registering), no user code (no state init, no function), telling nobody, and
 * exits. When it has exited with
 * status 0, a {@code java -Xshare:dump} of its class list ({@link StaticArchiveMaking}), with the
 * workers' class path and the JVM options that must match, writes the archive; the master checks
 * it and renames it into place (atomically, after a checksum file), so later spawns, of this
 * master or any other, start with it. All of this runs after the first worker registered, on a
 * thread of its own. One spawn at a time creates an archive:
 * it claims the key with a lock file holding its master's PID and start time
 * ({@link OwnerProcess}). A claim whose master has exited (killed while its maker made the
 * archive) is taken over at once; one older than {@link CdsArchives#CLAIM_TIMEOUT_MILLIS} (its
 * maker still running) too. Temporary archives and class lists carry their master's PID and start time in
 * their names: those of an exited master are deleted by the next master that uses the
 * directory (at its first spawn), as are its claims.
 *
 * <p>An archive is used only when its CRC32C and size match its checksum file (checked once per
 * master process and archive): a truncated archive crashes the JVM that maps it, a damaged one
 * can fail later. A bad archive is deleted, silently, and made again. The JVM's own CDS messages
 * are turned off in workers ({@code -Xlog:cds*=off}, before the user's options, which win), so a
 * mismatch it detects itself (a jar rewritten with the same size and time) falls back without
 * noise: that worker then runs without class data sharing (this JDK falls back to no archive, not
 * to its default one), and the next master's checksum check does not catch it either; the key,
 * made of the jars' sizes and times, changes with any rebuild that changes either.
 *
 * <p>Off when: {@value #ENABLED_PROPERTY}{@code =false} (the master's system property, or a
 * {@code -D} among the spawn's JVM options); the worker's options already choose CDS
 * ({@code -Xshare}, {@code -XX:SharedArchiveFile}, {@code -XX:ArchiveClassesAtExit},
 * {@code -XX:DumpLoadedClassList}); or the
 * class path holds a directory, which the JVM refuses to archive (logged at DEBUG). The cache
 * directory is {@value #DIRECTORY_PROPERTY}, else {@value #DIRECTORY_VARIABLE} (environment),
 * by default {@code rpc-parallel/cds} under the user's
 * cache directory ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}; {@code ~/Library/Caches} on
 * macOS, {@code %LOCALAPPDATA%} on Windows).
 */
public final class ClassDataSharing {
    /** {@code false} turns AppCDS for workers off. */
    public static final String ENABLED_PROPERTY = "rpcparallel.cds";
    /** The directory holding the archives. */
    public static final String DIRECTORY_PROPERTY = "rpcparallel.cds.dir";
    /**
     * The environment variable naming the directory when {@value #DIRECTORY_PROPERTY} is not set:
     * inherited by every process a job starts (its workers, masters run from scripts), as a
     * system property is not.
     */
    public static final String DIRECTORY_VARIABLE = "RPC_PARALLEL_CDS_DIR";
    /**
     * Set ({@code true}) in the JVM that makes an archive: it runs a worker's steps through its
     * first answer against itself, no user code, and exits.
     */
    public static final String MAKER_PROPERTY = "rpcparallel.cds.maker";
    /** Keeps the JVM's CDS warnings (a mismatching archive, classes skipped at dump) out of worker output. */
    static final String QUIET = "-Xlog:cds*=off";

    private static final Logger LOG = LogManager.getLogger(ClassDataSharing.class);
    private static final AtomicLong TEMPORARY_COUNTER = new AtomicLong();
    /** The directories this JVM has cleaned of others' left-overs: once each, at the first spawn. */
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    private ClassDataSharing() {}

    /**
     * What a spawn does about CDS: the options to add to its worker's command, and the archive
     * its maker is to make, if any.
     */
    public record Plan(List<String> options, Optional<StaticArchiveMaking> making, String description) {
        /** A plan that leaves CDS out, saying why. */
        public static Plan none(String why) {
            return new Plan(List.of(), Optional.empty(), why);
        }

        /** The plan of the spawn's own worker: this one without its archive maker. */
        public Plan worker() {
            return makesArchive() ? new Plan(options, Optional.empty(), description) : this;
        }

        /** The plan of the archive maker: its options, and the making to finish when it has exited. */
        Plan maker() {
            return new Plan(making.orElseThrow().makerOptions(), making, description);
        }

        /** Whether the spawn starts an archive maker once its worker has registered ({@link #making}). */
        public boolean makesArchive() {
            return making.isPresent();
        }
    }

    /**
     * The plan for one spawn.
     *
     * @param javaBinary the worker's {@code java}
     * @param classpath the worker's class path
     * @param jvmOptions every JVM option the worker gets besides the class path (inherited, defaults and the spawn's)
     * @param spawnOptions the spawn's own JVM options, where a {@code -D} setting wins over the master's property
     */
    public static Plan plan(String javaBinary, String classpath, List<String> jvmOptions, List<String> spawnOptions) {
        if (!Boolean.parseBoolean(setting(ENABLED_PROPERTY, spawnOptions).orElse("true").trim())) {
            return Plan.none("off (" + ENABLED_PROPERTY + "=false)");
        }
        for (String option : jvmOptions) {
            if (ClassDataSharingOptions.choosesSharing(option)) {
                return Plan.none("the worker's JVM options choose CDS themselves (" + option + ")");
            }
        }
        try {
            ArchiveKey key = ArchiveKey.start();
            key.add(javaBinary).add("\n").add(System.getProperty("java.vm.version", "")).add("\n");
            for (String entry : classpath.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path path = Path.of(entry).toAbsolutePath();
                if (Files.isDirectory(path)) {
                    LOG.debug("No CDS archive for workers: their class path holds a directory ({}), which the JVM"
                            + " cannot archive; package it as a jar to get faster worker starts", path);
                    return Plan.none("the class path holds a directory (" + path + ")");
                }
                key.add(path.toString());
                if (Files.exists(path)) {
                    key.add(Files.size(path)).add(Files.getLastModifiedTime(path).toMillis());
                }
                key.add("\n");
            }
            for (String option : jvmOptions) {
                if (ClassDataSharingOptions.bearsOnArchive(option)) {
                    key.add(option).add("\n");
                }
            }
            String name = key.hex();
            Path directory = directory(spawnOptions);
            Files.createDirectories(directory);
            return plan(directory, name, new StaticArchiveMaking.StaticArchiveDump(javaBinary, classpath,
                    ClassDataSharingOptions.staticDumpOptions(jvmOptions)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("No CDS archive for this worker: {}", e.toString());
            return Plan.none("cannot use the cache directory: " + e);
        }
    }

    private static Plan plan(Path directory, String key, StaticArchiveMaking.StaticArchiveDump dump)
            throws IOException {
        if (CLEANED.add(directory.toAbsolutePath())) {
            CdsArchives.cleanUp(directory);
        }
        Path archive = directory.resolve("worker-" + key + ".jsa");
        Path checksum = directory.resolve("worker-" + key + ".jsa.crc32c");
        if (Files.exists(archive)) {
            if (CdsArchives.isIntact(archive, checksum)) {
                return new Plan(List.of(QUIET, "-XX:SharedArchiveFile=" + archive), Optional.empty(),
                        "using " + archive);
            }
            LOG.debug("Replacing the damaged or incomplete CDS archive {}", archive);
            CdsArchives.delete(archive, checksum);
        }
        Path claim = directory.resolve("worker-" + key + ".jsa.lock");
        if (!CdsArchives.claim(claim)) {
            return Plan.none("another spawn is creating " + archive);
        }
        CdsArchives.cleanUp(directory);
        Path temporary = directory.resolve("worker-" + key + ".jsa." + OwnerProcess.current().tag() + "-"
                + TEMPORARY_COUNTER.incrementAndGet());
        // The spawn's worker starts without an archive (the JDK's default one); the maker, once it
        // has registered, writes the class list that becomes the archive.
        return new Plan(List.of(), Optional.of(new StaticArchiveMaking(dump, temporary, archive, checksum, claim)),
                "creating " + archive);
    }

    /** The cache directory: the setting, else the user's cache directory. */
    static Path directory(List<String> spawnOptions) {
        Optional<String> configured = setting(DIRECTORY_PROPERTY, spawnOptions)
                .or(() -> Optional.ofNullable(System.getenv(DIRECTORY_VARIABLE))).filter(value -> !value.isBlank());
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String home = System.getProperty("user.home");
        Path cache;
        if (os.contains("win") && System.getenv("LOCALAPPDATA") != null) {
            cache = Path.of(System.getenv("LOCALAPPDATA"));
        } else if (os.contains("mac")) {
            cache = Path.of(home, "Library", "Caches");
        } else if (System.getenv("XDG_CACHE_HOME") != null && !System.getenv("XDG_CACHE_HOME").isBlank()) {
            cache = Path.of(System.getenv("XDG_CACHE_HOME"));
        } else {
            cache = Path.of(home, ".cache");
        }
        return cache.resolve("rpc-parallel").resolve("cds");
    }

    /**
     * A launcher setting: the last {@code -DNAME=VALUE} among the spawn's JVM options, else this
     * JVM's system property.
     */
    static Optional<String> setting(String name, List<String> spawnOptions) {
        String prefix = "-D" + name + "=";
        String value = null;
        for (String option : spawnOptions) {
            if (option.startsWith(prefix)) {
                value = option.substring(prefix.length());
            }
        }
        return Optional.ofNullable(value != null ? value : System.getProperty(name));
    }
}
