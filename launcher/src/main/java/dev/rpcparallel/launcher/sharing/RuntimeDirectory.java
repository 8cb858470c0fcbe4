package dev.rpcparallel.launcher.sharing;

import dev.rpcparallel.api.RpcParallelException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The user's private runtime directory on this host, mode 0700: {@code workers/} holds one entry
 * per live worker, {@code access/} the accesses masters export. It is
 * {@value #ENVIRONMENT_VARIABLE} if set, else {@code rpc-parallel-USER} under
 * {@code $XDG_RUNTIME_DIR} (already private to the user) or the temporary directory. A directory
 * that exists with another owner, or open to other users, is refused rather than used: in a
 * shared temporary directory another user could have created it first. Files are written mode
 * 0600, complete or not at all (written aside, then moved in).
 */
public final class RuntimeDirectory {
    /** Names the runtime directory, for tests and for users who keep it elsewhere. */
    public static final String ENVIRONMENT_VARIABLE = "RPC_PARALLEL_RUNTIME_DIR";
    static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path root;

    private RuntimeDirectory(Path root) {
        this.root = root;
    }

    /** The user's runtime directory, where the environment says. Not created yet. */
    public static RuntimeDirectory ofUser() {
        String configured = System.getenv(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new RuntimeDirectory(Path.of(configured).toAbsolutePath());
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        Path base = xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))
                ? Path.of(xdg) : Path.of(System.getProperty("java.io.tmpdir"));
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return new RuntimeDirectory(base.resolve("rpc-parallel-" + user).toAbsolutePath());
    }

    /** The runtime directory at {@code root}, whatever the environment says. */
    static RuntimeDirectory at(Path root) {
        return new RuntimeDirectory(root.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /** The folder of live workers' entries. */
    public Path workers() {
        return root.resolve("workers");
    }

    /** The folder of exported accesses. */
    public Path access() {
        return root.resolve("access");
    }

    /**
     * Creates {@code folder} (this directory or one of its folders) mode 0700 if it is missing,
     * and checks that it is private to this user.
     *
     * @throws RpcParallelException naming the directory and the fix if it is not private
     */
    public Path ensurePrivate(Path folder) {
        for (Path each : folder.equals(root) ? new Path[] {root} : new Path[] {root, folder}) {
            try {
                Files.createDirectory(each, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            } catch (FileAlreadyExistsException e) {
                // checked below
            } catch (IOException e) {
                throw new RpcParallelException("Cannot create the rpc-parallel runtime directory " + each + ": " + e
                        + ". Set " + ENVIRONMENT_VARIABLE + " to a directory of your own.", e);
            }
            requirePrivate(each);
        }
        return folder;
    }

    private static void requirePrivate(Path directory) {
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new RpcParallelException("The rpc-parallel runtime directory " + directory
                        + " is not a directory (a symbolic link?): remove it, or set " + ENVIRONMENT_VARIABLE
                        + " to a directory of your own.");
            }
            String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
            String user = System.getProperty("user.name");
            if (!owner.equals(user) && !owner.equals(ownerOfNewFileIn(directory))) {
                throw new RpcParallelException("The rpc-parallel runtime directory " + directory + " belongs to "
                        + owner + ", not to " + user + ": remove it, or set " + ENVIRONMENT_VARIABLE
                        + " to a directory of your own.");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
            if (!PRIVATE_DIRECTORY.containsAll(mode)) {
                throw new RpcParallelException("The rpc-parallel runtime directory " + directory + " has mode "
                        + PosixFilePermissions.toString(mode) + ", open to other users: run chmod 700 " + directory);
            }
        } catch (IOException e) {
            throw new RpcParallelException("Cannot check the rpc-parallel runtime directory " + directory + ": " + e, e);
        }
    }

    /**
     * Who owns what this process creates in {@code directory}: the user as the file system names
     * it, when {@code user.name} does not (a uid with no name, in a container). Null if this
     * process cannot create a file there, which a directory of another user would refuse anyway.
     */
    private static String ownerOfNewFileIn(Path directory) {
        try {
            Path probe = Files.createTempFile(directory, ".owner-", ".tmp");
            try {
                return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS).getName();
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code file} (in a folder checked by {@link #ensurePrivate}) mode 0600, all at once. */
    static void writePrivate(Path file, String content) throws IOException {
        Path aside = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(aside);
        Files.createFile(aside, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        try {
            Files.writeString(aside, content);
            try {
                Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }
}
