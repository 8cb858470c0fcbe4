package dev.rpcparallel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.process.ClasspathArgFile;
import dev.rpcparallel.launcher.process.OwnerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * nothing the tests of this build made stays in the user's home or the temporary directory. On
 * shared directories it looks only at what this project names (files starting with
 * {@code rpc-parallel}) and was modified since this build started ({@code build.started}, the
 * build's timestamp), so that other builds on the machine do not count; an argfile whose master
 * is still running (another build's, in use) does not count either.
 */
class NoLeftoversCheck {
    /** The build's timestamp has a resolution of a second; file times are finer. */
    private static final long SLACK_MILLIS = 2_000;

    @Test
    void theTestsOfThisBuildLeftNothingInTheHomeOrTheTemporaryDirectory() throws IOException {
        String started = System.getProperty("build.started");
        assertThat(started).as("the build's start time, from the pom (build.started)").isNotBlank();
        long since = Instant.parse(started).toEpochMilli() - SLACK_MILLIS;

        List<String> leftovers = new ArrayList<>();
        for (Path cache : userCacheDirectories()) {
            leftovers.addAll(modifiedSince(cache.resolve("rpc-parallel"), since, false));
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.list(temp)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("rpc-parallel")).toList()) {
                if (!isArgfileInUse(file)) {
                    leftovers.addAll(modifiedSince(file, since, true));
                }
            }
        }
        assertThat(leftovers).as("files the tests of this build (started %s) left in the home or the temporary"
                + " directory", started).isEmpty();
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

    /** A worker argfile whose master still runs: in use by another build's master, not left over. */
    private static boolean isArgfileInUse(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(ClasspathArgFile.PREFIX) && name.endsWith(ClasspathArgFile.SUFFIX)
                && OwnerProcess.parse(name.substring(ClasspathArgFile.PREFIX.length()))
                        .map(owner -> !owner.isGone()).orElse(false);
    }

    /**
     * The files under {@code root} (and {@code root} itself, a directory made by the tests, if
     * {@code countRoot}) modified at or after {@code since}, each with its time. Directories
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
                    throw new UncheckedIOException(e);
                }
            }).map(file -> file + " (modified " + modified(file) + ")").toList();
        }
    }

    private static String modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
