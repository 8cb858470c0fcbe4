package dev.rpcparallel.transport.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The private directory of one process's socket files: {@code PID-STARTMILLIS} (its
 * {@link SocketOwner}) inside the user's socket directory, both mode 0700 and owned by the user,
 * created before any socket is bound in them. The user's socket directory is
 * {@value #ENVIRONMENT_VARIABLE} if set, else {@code rpc-parallel-sockets} under
 * {@code $XDG_RUNTIME_DIR} (already private to the user), else {@code rpc-parallel-sockets-USER}
 * under the temporary directory.
 *
 * <p>Creating a process's directory first deletes the directories of owners that are gone
 * (killed, say), with their socket files. A listener deletes its socket file when it closes; the
 * process's directory goes at the JVM's exit.
 *
 * <p>A socket path has at most {@value #MAX_PATH_BYTES} bytes ({@code sun_path} is 108 with its
 * terminating NUL): a directory under {@code $XDG_RUNTIME_DIR} too deep for it falls back to the
 * temporary directory; one too deep still is refused, naming the path and the fix.
 *
 * <p>Thread-safe.
 */
final class SocketDirectory {
    /** Names the user's socket directory, for users whose runtime or temporary directory is too deep. */
    static final String ENVIRONMENT_VARIABLE = "RPC_PARALLEL_SOCKET_DIR";

    /** The longest path of a Unix domain socket, in bytes. */
    static final int MAX_PATH_BYTES = 107;

    /** The longest name of a socket file this class makes: a counter and {@code .sock}. */
    private static final int LONGEST_FILE_NAME = String.valueOf(Integer.MAX_VALUE).length() + ".sock".length();

    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(SocketDirectory.class);
    }

    private final Path directory;
    private final AtomicInteger nextSocket = new AtomicInteger();

    private SocketDirectory(Path directory) {
        this.directory = directory;
    }

    /** The directory of this process's sockets, where the environment says, created now. */
    static SocketDirectory ofThisProcess() throws IOException {
        String configured = System.getenv(ENVIRONMENT_VARIABLE);
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("rpc-parallel-sockets-" + System.getProperty("user.name", "user")
                        .replaceAll("[^A-Za-z0-9._-]", "_"));
        if (configured != null && !configured.isBlank()) {
            return create(Path.of(configured), SocketOwner.current(), ENVIRONMENT_VARIABLE + " is " + configured);
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))) {
            Path underXdg = Path.of(xdg).resolve("rpc-parallel-sockets");
            if (fits(underXdg, SocketOwner.current())) {
                return create(underXdg, SocketOwner.current(), "under $XDG_RUNTIME_DIR");
            }
            Log.LOG.debug("Socket paths under {} would be too long; using {}", underXdg, temporary);
        }
        return create(temporary, SocketOwner.current(), "under the temporary directory");
    }

    /**
     * Creates the directory of {@code owner}'s sockets in the user's socket directory
     * {@code userDirectory} (created too if missing), after deleting those of owners gone.
     *
     * @param why where {@code userDirectory} comes from, for messages
     * @throws IOException naming the directory and the fix, if a socket path there would be too
     *     long, or either directory cannot be created or is not private to this user
     */
    static SocketDirectory create(Path userDirectory, SocketOwner owner, String why) throws IOException {
        Path user = userDirectory.toAbsolutePath();
        Path own = user.resolve(owner.tag());
        if (!fits(user, owner)) {
            String longest = own.resolve(String.valueOf(Integer.MAX_VALUE) + ".sock").toString();
            throw new IOException("Unix domain socket paths in " + own + " (" + why + ") would be up to "
                    + bytes(longest) + " bytes, over the " + MAX_PATH_BYTES + " bytes of a socket path (sun_path), as in "
                    + longest + ": set " + ENVIRONMENT_VARIABLE + " to a shorter directory, such as /tmp/rpc-parallel-sockets");
        }
        createPrivate(user);
        deleteDirectoriesOfOwnersGone(user);
        try {
            Files.createDirectory(own, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException e) {
            // This process's own, from an earlier instance (tests): its sockets are this process's.
        } catch (IOException e) {
            throw new IOException("Cannot create the socket directory " + own + ": " + e + ". Set "
                    + ENVIRONMENT_VARIABLE + " to a directory of your own.", e);
        }
        requirePrivate(own, Files.getOwner(own, LinkOption.NOFOLLOW_LINKS).getName());
        requirePrivate(user, Files.getOwner(own, LinkOption.NOFOLLOW_LINKS).getName());
        return new SocketDirectory(own);
    }

    /** The directory itself. */
    Path path() {
        return directory;
    }

    /** The user this directory belongs to: whoever may connect to its sockets. */
    String ownerName() throws IOException {
        return Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
    }

    /** A path for the next socket: no file is there yet. */
    Path nextSocket() {
        return directory.resolve(nextSocket.incrementAndGet() + ".sock");
    }

    /** Deletes the directory and whatever is left in it. */
    void delete() {
        deleteTree(directory);
    }

    private static boolean fits(Path userDirectory, SocketOwner owner) {
        Path own = userDirectory.toAbsolutePath().resolve(owner.tag());
        return bytes(own.toString()) + 1 + LONGEST_FILE_NAME <= MAX_PATH_BYTES;
    }

    private static int bytes(String path) {
        return path.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void createPrivate(Path directory) throws IOException {
        try {
            if (!Files.isDirectory(directory.getParent())) {
                Files.createDirectories(directory.getParent());
            }
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException e) {
            if (!directory.toString().equals(e.getFile())) {
                throw new IOException("Cannot create the socket directory " + directory + ": " + e + ". Set "
                        + ENVIRONMENT_VARIABLE + " to a directory of your own.", e);
            }
            // checked by the caller once this process's directory exists in it
        } catch (IOException e) {
            throw new IOException("Cannot create the socket directory " + directory + ": " + e + ". Set "
                    + ENVIRONMENT_VARIABLE + " to a directory of your own.", e);
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("The socket directory " + directory + " is not a directory (a symbolic link?):"
                    + " remove it, or set " + ENVIRONMENT_VARIABLE + " to a directory of your own.");
        }
    }

    /** Refuses a directory of another user, or one open to other users. */
    private static void requirePrivate(Path directory, String user) throws IOException {
        String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(user)) {
            throw new IOException("The socket directory " + directory + " belongs to " + owner + ", not to " + user
                    + ": remove it, or set " + ENVIRONMENT_VARIABLE + " to a directory of your own.");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        if (!PRIVATE.containsAll(mode)) {
            throw new IOException("The socket directory " + directory + " has mode " + PosixFilePermissions.toString(mode)
                    + ", open to other users: run chmod 700 " + directory);
        }
    }

    private static void deleteDirectoriesOfOwnersGone(Path user) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(user)) {
            for (Path entry : entries) {
                SocketOwner.parse(entry.getFileName().toString())
                        .filter(SocketOwner::isGone)
                        .ifPresent(gone -> {
                            deleteTree(entry);
                            Log.LOG.debug("Deleted the socket directory {} of process {}, which has exited", entry,
                                    gone.pid());
                        });
            }
        } catch (IOException e) {
            Log.LOG.debug("Cannot list {} for the sockets of exited processes", user, e);
        }
    }

    /** Deletes a directory of socket files (no subdirectories), quietly. */
    private static void deleteTree(Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            Log.LOG.debug("Cannot empty {}", directory, e);
        }
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            Log.LOG.debug("Cannot delete {}", directory, e);
        }
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
