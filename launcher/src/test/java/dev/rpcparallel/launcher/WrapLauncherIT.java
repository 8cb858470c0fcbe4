package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Workers started under a command prefix ({@code wrap:}), on this host. */
class WrapLauncherIT {
    private static final LauncherRuntime MASTER = new LauncherRuntime();

    @AfterAll
    static void shutDown() {
        MASTER.shutdownAll();
    }

    @Test
    void aWorkerUnderNiceRunsWithTheNicenessItAsked() throws IOException {
        int own = niceness(ProcessHandle.current().pid());
        WorkerRef worker = MASTER.spawn(Echo.TYPE, "", SpawnOptions.builder().name("wrapped-nice")
                .launcher("wrap:nice -n 5").build());
        try (Connection connection = MASTER.connect(worker, "")) {
            long pid = connection.call(Echo.PID, null);
            assertThat(niceness(pid)).isEqualTo(Math.min(19, own + 5));
            // nice runs java in its own process: the worker is this JVM's child, as a local one.
            assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .contains(ProcessHandle.current().pid());
            assertThat(connection.call(Echo.ECHO, "hello")).isEqualTo("hello");
        } finally {
            MASTER.shutdown(worker);
        }
    }

    @Test
    void aPrefixThatCannotRunIsASpawnExceptionNamingIt() {
        assertThatThrownBy(() -> MASTER.spawn(Echo.TYPE, "", SpawnOptions.builder().name("wrapped-missing")
                .launcher("wrap:/no/such/prefix --flag").build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Cannot start a JVM for worker 'wrapped-missing' with launcher"
                        + " wrap:/no/such/prefix --flag: Cannot run program \"/no/such/prefix\"");
    }

    @Test
    void anUnknownLauncherSchemeIsASpawnExceptionNamingTheKnownOnes() {
        assertThatThrownBy(() -> MASTER.spawn(Echo.TYPE, "", SpawnOptions.builder().name("nowhere")
                .launcher("nowhere://h1").build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Cannot start worker 'nowhere' with launcher nowhere://h1")
                .hasMessageContaining("no launcher for nowhere:// targets");
    }

    /** Field 19 of /proc/PID/stat: the process's nice value. */
    private static int niceness(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        return Integer.parseInt(fields.get(16));
    }
}
