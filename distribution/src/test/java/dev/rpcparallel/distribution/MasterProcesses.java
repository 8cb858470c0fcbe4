package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The processes an rpc-parallel master started, found through the marker that every worker's
 * command line carries ({@code child-of-PID@host}): its worker JVMs, and with them the ssh or
 * srun commands that run a worker elsewhere, on any node that shares this machine's process table.
 * A process that has exited but is not reaped yet (a zombie) is not counted: it has no command
 * line left, and it holds nothing.
 */
final class MasterProcesses {
    private MasterProcesses() {
    }

    /** Every live process whose command line names master {@code pid}: worker JVMs, and ssh or srun commands. */
    static List<ProcessHandle> naming(long pid) {
        return ProcessHandle.allProcesses().filter(p -> namesMaster(p.pid(), pid, false)).toList();
    }

    /** The live worker JVMs of master {@code pid}. */
    static List<ProcessHandle> workers(long pid) {
        return ProcessHandle.allProcesses().filter(p -> namesMaster(p.pid(), pid, true)).toList();
    }

    /** Waits up to {@code within} until no live process names master {@code pid}. */
    static void awaitNone(long pid, Duration within) {
        await().atMost(within).until(() -> naming(pid).isEmpty());
    }

    private static boolean namesMaster(long process, long master, boolean javaOnly) {
        Path proc = Path.of("/proc", Long.toString(process));
        try {
            return (!javaOnly || Files.readString(proc.resolve("comm")).strip().equals("java"))
                    && new String(Files.readAllBytes(proc.resolve("cmdline")), UTF_8).contains("child-of-" + master + "@")
                    && !Files.readString(proc.resolve("stat")).matches("(?s)^\\d+ \\(.*\\) Z .*");
        } catch (IOException | RuntimeException e) {
            return false; // it exited while we looked
        }
    }
}
