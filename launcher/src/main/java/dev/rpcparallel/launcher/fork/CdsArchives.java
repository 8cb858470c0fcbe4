package dev.rpcparallel.launcher.fork;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The files of the CDS cache directory ({@link ClassDataSharing}): archives and their checksum
 * files, the claims of spawns making one, the temporary archives being made, and the clean-up of
 * what dead masters and old class paths left behind. Safe for any number of masters at once.
 */
final class CdsArchives {
    /** A creation claim older than this may be taken over by another spawn. */
    static final long CLAIM_TIMEOUT_MILLIS = 60_000;
    /** Temporary archives older than this are left-overs (of a master whose owner cannot be told): deleted. */
    private static final long STALE_TEMPORARY_MILLIS = 3_600_000;
    /** Archives older than this (30 days) are deleted when another is made; a class path still in use gets a new one. */
    private static final long MAX_ARCHIVE_AGE_MILLIS = 30L * 24 * 3_600_000;
    /** At most this many archives are kept: a rebuilt class path leaves its old one behind. */
    private static final int MAX_ARCHIVES = 16;
    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();
    private static final Logger LOG = LogManager.getLogger(CdsArchives.class);

    private CdsArchives() {}

    /** Deletes a damaged or incomplete archive and its checksum file. */
    static void delete(Path archive, Path checksum) {
        VERIFIED.remove(archive);
        deleteQuietly(archive);
        deleteQuietly(checksum);
    }

    /** Whether the archive's size and CRC32C match its checksum file; checked once per archive version. */
    static boolean isIntact(Path archive, Path checksum) {
        try {
            String expected = Files.readString(checksum, UTF_8).trim();
            String stamp = expected + "@" + Files.getLastModifiedTime(archive).toMillis();
            if (stamp.equals(VERIFIED.get(archive))) {
                return true;
            }
            boolean intact = expected.equals(checksumOf(archive));
            if (intact) {
                VERIFIED.put(archive, stamp);
            }
            return intact;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code SIZE CRC32C} of a file. */
    static String checksumOf(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return size + " " + Long.toHexString(crc.getValue());
    }

    /** Claims the making of an archive for this JVM; {@code false} if another spawn holds the claim. */
    static boolean claim(Path claim) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(claim);
                Files.writeString(claim, OwnerProcess.current().tag(), UTF_8);
                return true;
            } catch (FileAlreadyExistsException e) {
                try {
                    if (!isStaleClaim(claim, System.currentTimeMillis())) {
                        return false;
                    }
                    Files.deleteIfExists(claim);
                } catch (NoSuchFileException gone) {
                    // released meanwhile: try again
                }
            }
        }
        return false;
    }

    /**
     * Whether a claim can be taken over: its master has exited, or it is older than
     * {@link #CLAIM_TIMEOUT_MILLIS}. A claim just created may still be empty: judged by its age.
     */
    private static boolean isStaleClaim(Path claim, long now) throws IOException {
        return now - Files.getLastModifiedTime(claim).toMillis() >= CLAIM_TIMEOUT_MILLIS
                || isClaimOfExitedMaster(claim);
    }

    /** Whether a claim's master has exited; an aged claim of a running master is left to {@link #claim}. */
    private static boolean isClaimOfExitedMaster(Path claim) throws IOException {
        return OwnerProcess.parse(Files.readString(claim, UTF_8)).map(OwnerProcess::isGone).orElse(false);
    }

    /**
     * Releases a claim if it is still this JVM's: one taken over meanwhile (this claim had timed
     * out) belongs to the spawn that took it.
     */
    private static void release(Path claim) {
        try {
            if (Files.readString(claim, UTF_8).equals(OwnerProcess.current().tag())) {
                Files.deleteIfExists(claim);
            }
        } catch (IOException e) {
            // gone already, or taken over
        }
    }

    /**
     * Whether a temporary file ({@code worker-KEY.jsa.PID-START-N.tmp}, its checksum, or the
     * maker's class list {@code worker-KEY.jsa.PID-START-N.classlist.tmp}) belongs to an exited master.
     */
    private static boolean isOrphanedTemporary(String name) {
        int start = name.indexOf(".jsa.");
        return start >= 0 && OwnerProcess.parse(name.substring(start + ".jsa.".length()))
                .map(OwnerProcess::isGone).orElse(false);
    }

    /** Moves a finished archive into place: checksum file first, so an archive never appears without one. */
    static void install(Path temporary, Path archive, Path checksum, Path claim) {
        try {
            if (Files.exists(temporary) && Files.size(temporary) > 0) {
                Path checksumTemporary = Path.of(temporary + ".crc32c");
                Files.writeString(checksumTemporary, checksumOf(temporary), UTF_8);
                move(checksumTemporary, checksum);
                move(temporary, archive);
                LOG.debug("Created the CDS archive {} for workers", archive);
            } else {
                LOG.debug("The CDS dump that was to create the archive {} did not write it", archive);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not install the CDS archive {}: {}", archive, e.toString());
        } finally {
            deleteQuietly(temporary);
            release(claim);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes what a master that died left behind (temporary archives and claims of an exited
     * master; temporaries older than an hour whatever their owner) and the archives of class
     * paths that are likely gone: older than {@link #MAX_ARCHIVE_AGE_MILLIS}, or beyond the
     * {@link #MAX_ARCHIVES} newest. Runs at a master's first spawn and when an archive is about
     * to be made.
     * A JVM that has an archive mapped keeps it (deleting a file does not unmap it); elsewhere
     * the delete fails and is left for later.
     */
    static void cleanUp(Path directory) {
        long now = System.currentTimeMillis();
        List<Path> archives = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                try {
                    long age = now - Files.getLastModifiedTime(file).toMillis();
                    boolean temporary = name.endsWith(".tmp") || name.endsWith(".tmp.crc32c");
                    if (temporary && (age > STALE_TEMPORARY_MILLIS || isOrphanedTemporary(name))) {
                        Files.deleteIfExists(file);
                    } else if (name.endsWith(".jsa.lock") && isClaimOfExitedMaster(file)) {
                        Files.deleteIfExists(file);
                    } else if (name.startsWith("worker-") && name.endsWith(".jsa")) {
                        archives.add(file);
                    }
                } catch (IOException e) {
                    // in use or gone: leave it
                }
            }
        } catch (IOException e) {
            return; // an unreadable directory: nothing to clean
        }
        archives.sort(java.util.Comparator.comparingLong(CdsArchives::modified).reversed());
        for (int i = 0; i < archives.size(); i++) {
            Path archive = archives.get(i);
            if (i >= MAX_ARCHIVES || now - modified(archive) > MAX_ARCHIVE_AGE_MILLIS) {
                deleteQuietly(Path.of(archive + ".crc32c"));
                deleteQuietly(archive);
                VERIFIED.remove(archive);
            }
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes a temporary archive that is not to be installed and releases the claim on its key. */
    static void abandon(Path temporary, Path claim) {
        deleteQuietly(temporary);
        release(claim);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next spawn to replace
        }
    }
}
