package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM and SIGINT (Ctrl-C) of a master in its own JVM: its shutdown hook kills its workers,
 * even one that is stopped and so could not notice its lifeline closing, and the master leaves
 * nothing behind (its class-path argfile is deleted).
 */
class MasterSignalsIT {
    private static final int SIGINT = 2;

    @Test
    void sigtermOfTheMasterKillsEveryWorkerAndLeavesNothing() throws Exception {
        endTheMasterWith("TERM", 128 + 15);
    }

    @Test
    void sigintOfTheMasterKillsEveryWorkerAndLeavesNothing() throws Exception {
        endTheMasterWith("INT", 128 + SIGINT);
    }

    private static void endTheMasterWith(String signal, int expectedStatus) throws Exception {
        List<ProcessHandle> workers = List.of();
        try (MasterProcess master = MasterProcess.start(Map.of(), "busy-workers", "2", "1")) {
            master.awaitReady(120);
            // 2 registered (one of them in a call), 1 still in a slow state init.
            await().atMost(Duration.ofSeconds(60)).until(() -> master.workers().size() == 3);
            workers = master.workers();
            if (signal.equals("INT")) {
                assumeFalse(ignores(master.process().pid(), SIGINT),
                        "SIGINT is ignored by this test's JVM and so by the masters it starts: no JVM here can get it");
            }
            List<Path> argFiles = workers.stream().map(MasterSignalsIT::argFileOf).toList();
            // A stopped worker cannot see its lifeline close: only the master's hook (SIGKILL) ends it.
            ProcessHandle stopped = workers.get(0);
            run("kill", "-STOP", Long.toString(stopped.pid()));

            run("kill", "-" + signal, Long.toString(master.process().pid()));
            long signalled = System.nanoTime();
            assertThat(master.process().waitFor(30, TimeUnit.SECONDS)).as("the master ended").isTrue();
            assertThat(master.process().exitValue()).as("the JVM's exit status for SIG%s", signal)
                    .isEqualTo(expectedStatus);

            List<ProcessHandle> all = workers;
            try {
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                        .until(() -> all.stream().noneMatch(MasterProcess::isRunning));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("workers still alive 2 s after SIG" + signal + " of their master:\n"
                        + MasterProcess.describeAlive(all), e);
            }
            System.out.printf("3 workers (1 stopped) gone %d ms after SIG%s of their master%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled), signal);
            assertThat(argFiles).as("the workers' class-path argfiles").allSatisfy(file -> assertThat(file).doesNotExist());
        } finally {
            for (ProcessHandle worker : workers) {
                worker.destroyForcibly();
                run("kill", "-CONT", Long.toString(worker.pid()));
            }
        }
    }

    /** The {@code @argfile} on a worker's command line: the master's class path, written by the master. */
    private static Path argFileOf(ProcessHandle worker) {
        List<String> arguments = List.of(worker.info().arguments().orElseThrow());
        return Path.of(arguments.stream().filter(argument -> argument.startsWith("@")).findFirst()
                .orElseThrow(() -> new AssertionError("no @argfile in " + arguments)).substring(1));
    }

    /** Whether a process ignores a signal, from the SigIgn mask in /proc/PID/status. */
    private static boolean ignores(long pid, int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        throw new IllegalStateException("no SigIgn in /proc/" + pid + "/status");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor(10, TimeUnit.SECONDS);
    }
}
