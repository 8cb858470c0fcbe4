package dev.rpcparallel.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory private to the user ({@code rwx------}), short enough for ssh's control socket
 * paths, given to a child master as its {@code XDG_RUNTIME_DIR}: its ssh connections and private
 * files are then its alone and can be found by this path. Closing deletes the whole tree.
 */
record PrivateRuntimeDirectory(Path path) implements AutoCloseable {

    /** Creates {@code <tmpdir>/<prefix>-<this JVM's pid>}. */
    static PrivateRuntimeDirectory create(String prefix) throws IOException {
        return new PrivateRuntimeDirectory(Files.createDirectory(
                Path.of(System.getProperty("java.io.tmpdir"), prefix + "-" + ProcessHandle.current().pid()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
