package dev.rpcparallel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.fork.ClasspathArgFile;
import dev.rpcparallel.launcher.fork.OwnerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build's last check, run by Failsafe after every integration test of the last module:
 * nothing the tests of this build made stays in the user's home or the temporary directory.
 * Other builds may run on the machine at the same time, so on these shared directories it
 * counts only what it can tell is this build's, modified since this build started
 * ({@code build.started}, the build's timestamp, else the start of the Maven JVM):
 * <ul>
 *   <li>in the user's cache, {@code rpc-parallel/}: the files that name this project's directory
 *       (a CDS archive, finished or temporary, holds the class path of the JVM that made it);</li>
 *   <li>in the temporary directory: worker argfiles whose master has exited (an argfile names its
 *       master's PID and start time; one in use by a running master is not left over), what is
 *       inside the user's socket and ssh control directories (they stay; their contents must
 *       not), and any other file or directory whose name starts with {@code rpc-parallel}.</li>
 * </ul>
 */
class NoLeftoversCheck {
    /**
     * The user's private directories in the temporary directory that the runtime keeps: the unix
     * transport's socket directory (one directory per listening process inside, deleted when
     * that process exits, or by the next one if it was killed) and the ssh launcher's control
     * directory (its master connections' sockets, and a JVM's packed class-path directories).
     */
    private static final java.util.Set<String> USER_DIRECTORIES = java.util.Set.of(
            "rpc-parallel-sockets-" + System.getProperty("user.name"),
            "rpc-parallel-ssh-" + System.getProperty("user.name"));
    /** The build's timestamp has a resolution of a second; file times are finer. */
    private static final long SLACK_MILLIS = 2_000;

    @Test
    void theTestsOfThisBuildLeftNothingInTheHomeOrTheTemporaryDirectory() throws IOException {
        String started = buildStart();
        long since = Instant.parse(started).toEpochMilli() - SLACK_MILLIS;
        String project = projectDirectory() + java.io.File.separator;

        List<String> leftovers = new ArrayList<>();
        for (Path cache : userCacheDirectories()) {
            for (String file : modifiedSince(cache.resolve("rpc-parallel"), since, false)) {
                if (mentions(Path.of(file), project)) {
                    leftovers.add(file);
                }
            }
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(temp)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("rpc-parallel")).toList()) {
                String name = file.getFileName().toString();
                boolean argfile = name.startsWith(ClasspathArgFile.PREFIX) && name.endsWith(ClasspathArgFile.SUFFIX);
                if (USER_DIRECTORIES.contains(name)) {
                    // Meant to stay, as /tmp/tmux-UID does: only what is in them counts.
                    leftovers.addAll(modifiedSince(file, since, false));
                } else if (!argfile || isOrphanedArgfile(name)) {
                    leftovers.addAll(modifiedSince(file, since, true));
                }
            }
        }
        assertThat(leftovers).as("files the tests of this build (started %s, in %s) left in the home or the"
                + " temporary directory", started, project).isEmpty();
    }

    /**
     * When this build started: the pom's {@code build.started}, else (a run by hand, or with
     * {@code -Dit.test}) the start of the Maven JVM this test runs under, found among its
     * ancestors by Maven's launcher class path ({@code plexus-classworlds}).
     */
    private static String buildStart() {
        String started = System.getProperty("build.started");
        if (started != null && !started.isBlank()) {
            return started;
        }
        for (ProcessHandle p = ProcessHandle.current().parent().orElse(null); p != null; p = p.parent().orElse(null)) {
            boolean maven = p.info().arguments().map(args -> String.join(" ", args).contains("plexus-classworlds"))
                    .orElse(false);
            if (maven && p.info().startInstant().isPresent()) {
                return p.info().startInstant().get().toString();
            }
        }
        throw new AssertionError("no build.started property and no Maven process among this JVM's ancestors:"
                + " run it from the build, or with -Dbuild.started=" + Instant.now());
    }

    /** The root of this project: the directory above this module holding the parent pom and {@code api/}. */
    private static Path projectDirectory() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("api"))) {
                return dir;
            }
        }
        throw new IOException("no project directory above " + Path.of("").toAbsolutePath());
    }

    /** Whether the file's bytes hold {@code text} (an archive's class path names its jars). */
    private static boolean mentions(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /** Where {@code ClassDataSharing} puts its cache when nothing else is configured. */
    private static List<Path> userCacheDirectories() {
        List<Path> caches = new ArrayList<>();
        String home = System.getProperty("user.home");
        caches.add(Path.of(home, ".cache"));
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
            caches.add(Path.of(home, "Library", "Caches"));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            caches.add(Path.of(xdg));
        }
        String localAppData = System.getenv("LOCALAPPDATA");
        if (localAppData != null && !localAppData.isBlank()) {
            caches.add(Path.of(localAppData));
        }
        return caches;
    }

    /**
     * A worker argfile of this version (named after its master) whose master has exited. One
     * without an owner in its name comes from an older version: not this build's.
     */
    private static boolean isOrphanedArgfile(String name) {
        return OwnerProcess.parse(name.substring(ClasspathArgFile.PREFIX.length())).map(OwnerProcess::isGone)
                .orElse(false);
    }

    /**
     * The files under {@code root} (and {@code root} itself, a directory made by the tests, if
     * {@code countRoot}) modified at or after {@code since}. Directories
     * under it do not count: their times change whenever a file in them comes and goes.
     */
    private static List<String> modifiedSince(Path root, long since, boolean countRoot) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> !Files.isDirectory(file) || (countRoot && file.equals(root))).filter(file -> {
                try {
                    return Files.getLastModifiedTime(file).toMillis() >= since;
                } catch (IOException e) {
                    return false; // gone meanwhile (another build's, in a shared directory)
                }
            }).map(Path::toString).toList();
        }
    }
}
