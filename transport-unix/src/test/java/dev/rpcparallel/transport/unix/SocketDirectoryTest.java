package dev.rpcparallel.transport.unix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private socket directories: their modes, the path limit, and what a process leaves behind. */
class SocketDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void bothDirectoriesArePrivateAndTheProcessOneIsNamedByItsOwner() throws IOException {
        Path user = temp.resolve("sockets");
        SocketDirectory directory = SocketDirectory.create(user, SocketOwner.current(), "test");
        assertThat(directory.path()).isEqualTo(user.toAbsolutePath().resolve(SocketOwner.current().tag()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(user))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.path()))).isEqualTo("rwx------");
        assertThat(directory.nextSocket()).isNotEqualTo(directory.nextSocket());
    }

    @Test
    void aUserDirectoryOpenToOthersIsRefusedWithTheFix() throws IOException {
        Path user = Files.createDirectory(temp.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(user, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> SocketDirectory.create(user, SocketOwner.current(), "test"))
                .isInstanceOf(IOException.class)
                .hasMessage("The socket directory " + user.toAbsolutePath() + " has mode rwxr-xr-x, open to other"
                        + " users: run chmod 700 " + user.toAbsolutePath());
    }

    @Test
    void aUserDirectoryThatCannotBeCreatedIsNamedWithTheFix() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> SocketDirectory.create(file.resolve("sockets"), SocketOwner.current(), "test"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot create the socket directory " + file.resolve("sockets"))
                .hasMessageEndingWith("Set RPC_PARALLEL_SOCKET_DIR to a directory of your own.");
    }

    @Test
    void socketPathsTooLongForSunPathAreRefusedNamingThePathAndTheFix() {
        Path deep = temp.resolve("d".repeat(100));
        assertThatThrownBy(() -> SocketDirectory.create(deep, SocketOwner.current(), "RPC_PARALLEL_SOCKET_DIR is x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unix domain socket paths in " + deep.toAbsolutePath().resolve(SocketOwner.current().tag()))
                .hasMessageContaining("over the 107 bytes of a socket path (sun_path)")
                .hasMessageContaining("set RPC_PARALLEL_SOCKET_DIR to a shorter directory");
        assertThat(deep).as("nothing is created for a refused directory").doesNotExist();
    }

    @Test
    void theSocketsOfAProcessKilledWithSigkillAreDeletedByTheNextProcessToListen() throws Exception {
        Path user = temp.resolve("s");
        Process child = startChild(user);
        try {
            Path socket = socketOf(child);
            assertThat(socket).exists();
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(socket).as("the killed process's socket, before the next process").exists();
            Path live = Files.createDirectory(user.resolve(ProcessHandle.current().pid() + "-0"));

            SocketDirectory next = SocketDirectory.create(user, new SocketOwner(ProcessHandle.current().pid(),
                    ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli()), "test");
            assertThat(socket.getParent()).as("the killed process's directory").doesNotExist();
            assertThat(live).as("the directory of a live process").exists();
            assertThat(next.path()).exists();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aProcessThatExitsDeletesItsSocketDirectory() throws Exception {
        Path user = temp.resolve("s");
        Process child = startChild(user);
        try {
            Path socket = socketOf(child);
            child.getOutputStream().close(); // it exits
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(socket.getParent()).as("the exited process's directory").doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void underAnXdgRuntimeDirectoryTooDeepForSocketPathsTheSocketsGoToTheTemporaryDirectory() throws Exception {
        Path xdg = Files.createDirectories(temp.resolve("x".repeat(90)));
        Path tmp = Files.createDirectories(temp.resolve("t"));
        ProcessBuilder builder = childCommand("-Djava.io.tmpdir=" + tmp);
        builder.environment().remove(SocketDirectory.ENVIRONMENT_VARIABLE);
        builder.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        Process child = builder.start();
        try {
            Path socket = socketOf(child);
            assertThat(socket).startsWith(tmp.resolve("rpc-parallel-sockets-" + System.getProperty("user.name")));
            child.getOutputStream().close();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startChild(Path user) throws IOException {
        ProcessBuilder builder = childCommand();
        builder.environment().put(SocketDirectory.ENVIRONMENT_VARIABLE, user.toString());
        return builder.start();
    }

    private static ProcessBuilder childCommand(String... jvmOptions) {
        List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ListeningChild.class.getName()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    private static Path socketOf(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        String address = out.readLine();
        assertThat(address).as("the child's address").startsWith("unix:///");
        return Path.of(address.substring("unix://".length()));
    }
}
