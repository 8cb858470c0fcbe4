package dev.rpcparallel.launcher.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access files are private to the user: written 0600 in a 0700 directory, refused when open to others. */
class AccessFileTest {
    @TempDir
    Path dir;

    private final WorkerAccess access = WorkerAccess.of(
            new WorkerRef("counter", "id-1", "counter-1", "thrift://127.0.0.1:4000"), new byte[] {1, 2, 3});

    @Test
    void writtenPrivateAndReadBack() throws Exception {
        RuntimeDirectory runtime = RuntimeDirectory.at(dir.resolve("rt"));
        Path file = runtime.ensurePrivate(runtime.access()).resolve("counter.access");
        new AccessFile(access, 42, 7, 1000, "start").writeTo(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.root()))).isEqualTo("rwx------");
        AccessFile read = AccessFile.read(file);
        assertThat(read.access().worker()).isEqualTo(access.worker());
        assertThat(read.access().key()).containsExactly(1, 2, 3);
        assertThat(read.pid()).isEqualTo(42);
        assertThat(read.masterPid()).isEqualTo(7);
        assertThat(read.processStart()).isEqualTo("start");
    }

    @Test
    void namesWithTheCharactersOfThePropertiesFormatAreReadBackAsWritten() throws Exception {
        RuntimeDirectory runtime = RuntimeDirectory.at(dir.resolve("rt"));
        Path file = runtime.ensurePrivate(runtime.access()).resolve("odd.access");
        WorkerRef odd = new WorkerRef(" type = a:b", "id#1!", " lead\\ing\ttab\nnew\rline\fform \u00e9\u4e16\u0001",
                "unix:///tmp/a b/1.sock");
        new AccessFile(WorkerAccess.of(odd, new byte[] {9}), 1, 2, 3, "2026-01-01T00:00:00Z").writeTo(file);

        AccessFile read = AccessFile.read(file);
        assertThat(read.access().worker()).isEqualTo(odd);
        assertThat(read.processStart()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Files.readString(file)).startsWith("#rpc-parallel: whoever reads this file can call and stop worker")
                .contains("\nformat=rpc-parallel-worker-access-1\n");
        assertThat(Files.readAllLines(file)).filteredOn(line -> line.startsWith("#")).hasSize(1);
    }

    @Test
    void aFileReadableByOthersIsRefused() throws Exception {
        RuntimeDirectory runtime = RuntimeDirectory.at(dir.resolve("rt"));
        Path file = runtime.ensurePrivate(runtime.access()).resolve("counter.access");
        new AccessFile(access, 0, 0, 0, "").writeTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> AccessFile.read(file))
                .isInstanceOf(RpcParallelException.class)
                .hasMessage("The worker access file " + file + " has mode rw-r--r--: other users could have read its"
                        + " key, so it is not used. Export the access again; keep the file mode 0600.");
    }

    @Test
    void aRuntimeDirectoryOpenToOthersIsRefused() throws Exception {
        Path root = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        RuntimeDirectory runtime = RuntimeDirectory.at(root);

        assertThatThrownBy(() -> runtime.ensurePrivate(runtime.workers()))
                .isInstanceOf(RpcParallelException.class)
                .hasMessage("The rpc-parallel runtime directory " + root + " has mode rwxr-xr-x, open to other users:"
                        + " run chmod 700 " + root);
    }

    @Test
    void aFileThatIsNoAccessSaysWhatIsMissing() throws Exception {
        Path file = dir.resolve("bad.access");
        Files.writeString(file, "format=rpc-parallel-worker-access-1\nworkerType=counter\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> AccessFile.read(file))
                .isInstanceOf(RpcParallelException.class)
                .hasMessage("The file " + file + " is not an rpc-parallel worker access: it has no id. Use a file"
                        + " written by WorkerAccess.export, or a worker entry that rpc-parallel ps lists.");
    }
}
