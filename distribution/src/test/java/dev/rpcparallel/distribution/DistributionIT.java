package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the assembled distribution's {@code bin/rpc-parallel} as a user would. */
class DistributionIT {
    private static final Path SCRIPT = Path.of("target", "rpc-parallel", "bin", "rpc-parallel");

    @TempDir
    Path dir;

    private record Result(int exitCode, String stdout, String stderr, long pid) {}

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toAbsolutePath().toString());
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("rpc-parallel finished").isTrue();
        return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8), process.pid());
    }

    @Test
    void pluginsListsThePrimesTypeWithItsJar() throws Exception {
        Result result = run("plugins");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .containsPattern("2  primes  \\(from rpc-parallel-plugins-sample-[^)]*\\.jar\\)")
                .contains("rpc count(record:dev.rpcparallel.sample.primes.Primes$Range(from:i64,to:i64)) -> i64")
                .contains("Registry fingerprint: ");
    }

    @Test
    void runPrimesOnTwoWorkersPrintsTheCountAndLeavesNoWorker() throws Exception {
        Result result = run("run", "primes", "--workers", "2", "--limit", "10000000");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("started 2 workers", "primes below 10000000: 664579", "wall time: ");
        // Every worker's command line names its master: none may outlive it.
        MasterProcesses.awaitNone(result.pid(), Duration.ofSeconds(5));
    }

    /** Starts a long primes job and waits until its two workers run. */
    private Process startLongPrimesJob(Path out, Path err) throws Exception {
        Process process = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "run", "primes", "--workers", "2",
                "--limit", "1e12").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out, UTF_8).contains("started 2 workers"));
        return process;
    }

    @Test
    void killingTheCommandWithSigkillLeavesNoWorkerAliveTwoSecondsLater() throws Exception {
        Process master = startLongPrimesJob(dir.resolve("out.txt"), dir.resolve("err.txt"));
        assertThat(MasterProcesses.workers(master.pid())).hasSize(2);
        master.destroyForcibly();
        master.waitFor(10, TimeUnit.SECONDS);
        // A worker that exited but is not reaped yet has no command line left, so it is not found.
        await().atMost(Duration.ofSeconds(2)).until(() -> MasterProcesses.workers(master.pid()).isEmpty());
    }

    @Test
    void killingOneWorkerMakesTheCommandExitNonZeroNamingTheSignal() throws Exception {
        Path err = dir.resolve("err.txt");
        Process master = startLongPrimesJob(dir.resolve("out.txt"), err);
        try {
            MasterProcesses.workers(master.pid()).get(0).destroyForcibly();
            assertThat(master.waitFor(10, TimeUnit.SECONDS)).as("the command ended within 10 s").isTrue();
            assertThat(master.exitValue()).isNotZero();
            assertThat(Files.readString(err, UTF_8)).contains("killed by signal 9 (SIGKILL)");
            await().atMost(Duration.ofSeconds(5)).until(() -> MasterProcesses.workers(master.pid()).isEmpty());
        } finally {
            master.destroyForcibly();
        }
    }

    @Test
    void garbageOnTheWorkersPortsDuringRunPrimesLeavesTheResultRight() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        // Garbage over TCP: the workers listen on the thrift transport, named (by default they
        // would listen on Unix domain sockets, on no TCP port at all).
        ProcessBuilder run = new ProcessBuilder(SCRIPT.toAbsolutePath().toString(), "run", "primes", "--workers", "2",
                "--limit", "1e10");
        run.environment().put("RPC_PARALLEL_SETTINGS", "transport=thrift");
        Process master = run.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out, UTF_8).contains("started 2 workers"));
            List<Integer> ports = new ArrayList<>();
            for (ProcessHandle worker : MasterProcesses.workers(master.pid())) {
                ports.addAll(listeningPorts(worker.pid()));
            }
            ports.addAll(listeningPorts(master.pid()));
            assertThat(ports).as("listening ports of the workers and the master").hasSizeGreaterThanOrEqualTo(2);
            Random random = new Random(7);
            long connections = 0;
            long bytes = 0;
            while (master.isAlive()) {
                for (int port : ports) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                        byte[] garbage = new byte[4 + random.nextInt(2_000)];
                        random.nextBytes(garbage);
                        if (random.nextBoolean()) {
                            garbage[0] = 0; // a small declared length: the worker reads a frame of garbage
                            garbage[1] = 0;
                        }
                        socket.getOutputStream().write(garbage);
                        connections++;
                        bytes += garbage.length;
                    } catch (IOException e) {
                        // closed by the worker, or the job has ended
                    }
                }
            }
            System.out.printf("DistributionIT: %d garbage connections (%d bytes) to %d ports during run primes%n",
                    connections, bytes, ports.size());
            assertThat(master.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String stdout = Files.readString(out, UTF_8);
            assertThat(master.exitValue()).as(stdout + Files.readString(err, UTF_8)).isZero();
            assertThat(stdout).contains("primes below 10000000000: 455052511");
            assertThat(connections).isGreaterThan(100);
        } finally {
            master.destroyForcibly();
        }
    }

    /** The TCP ports a process listens on: its socket inodes matched against {@code /proc/PID/net/tcp*}. */
    private static List<Integer> listeningPorts(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] fields = line.trim().split("\\s+");
                // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the inode
                if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    @Test
    void runTourNamesEveryFunctionKindAndBuiltIn() throws Exception {
        Result result = run("run", "tour");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        List<String> lines = result.stdout().lines().filter(line -> !line.startsWith("[worker ")).toList();
        for (String kind : List.of("rpc", "pipe", "direct pipe", "one-way", "reverse pipe", "state", "close-server", "log")) {
            assertThat(lines).as("the tour's line for %s in:%n%s", kind, result.stdout())
                    .anyMatch(line -> line.startsWith(kind + ": "));
        }
        // The distribution's logging backend is Log4j core: the log stream captures the worker's event.
        assertThat(lines).contains("log: two subscribers each received INFO \"hello from the tour\" from TourWorker");
        MasterProcesses.awaitNone(result.pid(), Duration.ofSeconds(5));
    }

    @Test
    void runCalculatorCallsTheThriftServiceOnTwoWorkersAndLeavesNoWorker() throws Exception {
        Result result = run("run", "calculator");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout().lines().filter(line -> !line.startsWith("[worker "))).containsExactly(
                "spawned 2 workers serving Thrift service Calculator [add, calculate, calculations, note, ping]",
                "calculate: 8 threads made 1600 calls through Calculator.Iface, shared by all threads on 2 connections:"
                        + " every answer right",
                "declared exception: calculate(1 / 0) threw InvalidOperation(whatOp=4, why=\"Cannot divide by 0\")",
                "future: calculate(6 * 7) through Calculator.FutureIface = 42",
                "oneway: note(...) sent without waiting; the two workers answered 1602 calculate calls");
        MasterProcesses.awaitNone(result.pid(), Duration.ofSeconds(5));
    }

    @Test
    void runWordcountWithNoArgumentsCountsTheBundledCorpusAndLeavesNoWorker() throws Exception {
        Result result = run("run", "wordcount");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout())
                .containsPattern("corpus: 32 generated files, 64\\.0 MB")
                .containsPattern("1 worker:  \\d+\\.\\d{3} s counting")
                .containsPattern("2 workers: \\d+\\.\\d{3} s counting")
                .containsPattern("the 10 most frequent:\\R +[\\d,]+  the\\R")
                .containsPattern("speedup of 2 workers over 1: \\d+\\.\\d{2}x");
        MasterProcesses.awaitNone(result.pid(), Duration.ofSeconds(5));
    }

    @Test
    void runPrimestreamShowsBackpressureAndCancellationAndLeavesNoWorker() throws Exception {
        Result result = run("run", "primestream", "--limit", "1e6", "--take", "200", "--progress");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout())
                .containsPattern("started worker 'primestream-1' in \\d+\\.\\d{3} s")
                .contains("took    200 primes (last 1223), the worker had produced ")
                .containsPattern("cancel: closed the stream after 200 primes; the worker stopped at \\d+ primes"
                        + " and saw the cancellation")
                .containsPattern("full speed: streamed all 78498 primes below 1000000 in \\d+\\.\\d{3} s");
        assertThat(result.stderr()).contains("progress: 1000000/1000000 numbers");
        MasterProcesses.awaitNone(result.pid(), Duration.ofSeconds(5));
    }

    @Test
    void unknownAppFailsWithUsageExitCodeAndListsTheApps() throws Exception {
        Result result = run("run", "no-such-app");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("no app named 'no-such-app'", "primes");
    }

    @Test
    void badAppArgumentFailsWithUsageExitCode() throws Exception {
        Result result = run("run", "primes", "--workers", "0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--workers must be between 1 and");
    }

    @Test
    void runHelpListsEveryAppWithItsDescription() throws Exception {
        Result result = run("run", "--help");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .contains("Usage: rpc-parallel run", "Apps:")
                .containsPattern("\\R  primes +Counts the primes below a limit")
                .containsPattern("\\R  primestream +Streams primes from a worker")
                .containsPattern("\\R  tour +")
                .containsPattern("\\R  wordcount +Counts the words");
    }

    @Test
    void helpDocumentsTheCommands() throws Exception {
        Result result = run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("plugins", "run");
    }
}
