package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master started with JVM options that only one JVM can hold (a JMX port, a debugger port, a
 * flight recording, heap-dump and log file) spawns working workers: each such option is dropped or
 * made per-worker. One master with two workers serves every test of the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InheritedJvmOptionsIT {
    private static final List<String> WORKERS = List.of("alpha", "beta");
    /** Workers whose init runs out of heap, each dumping it. */
    private static final List<String> OUT_OF_HEAP = List.of("gamma", "delta");

    @TempDir
    static Path temp;

    private static Process master;
    private static final List<String> masterErrors = new ArrayList<>();
    private static final Map<String, Long> pids = new LinkedHashMap<>();
    private static final Map<String, List<String>> workerArgs = new LinkedHashMap<>();
    private static final List<String> initFailed = new ArrayList<>();
    /** The master's other output: its workers' stdout, copied with their names. */
    private static final List<String> workerOutput = new ArrayList<>();
    private static int jmxPort;
    private static int debugPort;

    @BeforeAll
    static void startMaster() throws Exception {
        jmxPort = freePort();
        debugPort = freePort();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + debugPort,
                "-XX:StartFlightRecording=filename=" + temp.resolve("recording.jfr") + ",dumponexit=true",
                "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + temp.resolve("heap.hprof"),
                "-Xlog:gc:file=" + temp.resolve("gc.log") + ":uptime",
                "-cp", System.getProperty("java.class.path"),
                InheritedOptionsMaster.class.getName()));
        command.addAll(WORKERS);
        OUT_OF_HEAP.forEach(name -> command.add("oom:" + name));
        master = new ProcessBuilder(command).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getInputStream(), UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the master is gone
            }
            lines.add("EXITED");
        }, "inherited-options-master-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getErrorStream(), UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (masterErrors) {
                        masterErrors.add(line);
                    }
                }
            } catch (IOException e) {
                // the master is gone
            }
        }, "inherited-options-master-stderr");
        errors.setDaemon(true);
        errors.start();
        for (String line = lines.poll(120, TimeUnit.SECONDS); !"READY".equals(line); line = lines.poll(120, TimeUnit.SECONDS)) {
            if (line == null || line.equals("EXITED")) {
                throw new AssertionError("the master did not get its workers ready: " + line + "; its stderr: " + stderr());
            }
            String[] words = line.split(" ", 3);
            if (words[0].equals("WORKER")) {
                pids.put(words[1], Long.parseLong(words[2]));
            } else if (words[0].equals("INIT-FAILED")) {
                initFailed.add(words[1]);
            } else if (words[0].equals("ARG")) {
                workerArgs.computeIfAbsent(words[1], name -> new ArrayList<>()).add(words[2]);
            } else {
                workerOutput.add(line);
            }
        }
    }

    @AfterAll
    static void stopMaster() throws Exception {
        if (master != null) {
            master.destroyForcibly();
        }
        for (long pid : pids.values()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String stderr() {
        synchronized (masterErrors) {
            return String.join("\n", masterErrors);
        }
    }

    @Test
    void bothWorkersStartAndAnswer() {
        assertThat(pids.keySet()).as("master's stderr: %s", stderr()).containsExactlyElementsOf(WORKERS);
        assertThat(pids.values()).doesNotHaveDuplicates().doesNotContain(master.pid());
    }

    @Test
    void theJmxPortsAndTheDebuggerAreDroppedAndTheOtherJmxSettingsInherited() {
        for (String name : WORKERS) {
            assertThat(workerArgs.get(name)).as(name)
                    .noneMatch(option -> option.startsWith("-Dcom.sun.management.jmxremote.port="))
                    .noneMatch(option -> option.startsWith("-Dcom.sun.management.jmxremote.rmi.port="))
                    .noneMatch(option -> option.startsWith("-agentlib:jdwp"))
                    .contains("-Dcom.sun.management.jmxremote.authenticate=false", "-XX:+HeapDumpOnOutOfMemoryError");
        }
    }

    @Test
    void eachWorkerGetsItsOwnHeapDumpRecordingAndLogFile() {
        for (String name : WORKERS) {
            assertThat(workerArgs.get(name)).as(name).contains(
                    "-XX:HeapDumpPath=" + temp.resolve("heap-" + name + ".hprof"),
                    "-XX:StartFlightRecording=filename=" + temp.resolve("recording-" + name + ".jfr") + ",dumponexit=true",
                    "-Xlog:gc:file=" + temp.resolve("gc-" + name + ".log") + ":uptime");
        }
    }

    @Test
    void twoWorkersOutOfHeapEachDumpItIntoTheirOwnFile() throws IOException {
        assertThat(initFailed).containsExactlyElementsOf(OUT_OF_HEAP);
        // Each dump is written before its worker's init fails, so before READY; the JVM tells where.
        assertThat(workerOutput).as("the workers' output").noneMatch(line -> line.contains("Unable to create"));
        for (String name : OUT_OF_HEAP) {
            assertThat(workerOutput).as("the workers' output")
                    .contains("[worker " + name + "] Dumping heap to " + temp.resolve("heap-" + name + ".hprof") + " ...");
        }
        for (String name : OUT_OF_HEAP) {
            Path dump = temp.resolve("heap-" + name + ".hprof");
            // A dump of a 32 MiB heap filled with arrays: megabytes, once written.
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dump) && Files.size(dump) > 1_000_000);
        }
    }

    @Test
    void theMasterKeepsItsPortsAndEachJvmWritesItsOwnLog() throws IOException {
        // The master's JMX agent and debugger still listen: the workers took nothing from it.
        for (int port : new int[] {jmxPort, debugPort}) {
            try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(socket.isConnected()).as("port %d", port).isTrue();
            }
        }
        // -Xlog opens its file at start: three JVMs, three logs, each written by its own JVM.
        assertThat(Files.readString(temp.resolve("gc.log"))).contains("Using ");
        // A JVM that opens an existing log file rotates it away (to gc.log.0): none did the master's.
        assertThat(temp.resolve("gc.log.0")).doesNotExist();
        for (String name : WORKERS) {
            // The serial collector is a worker's default: this log is the worker's.
            assertThat(Files.readString(temp.resolve("gc-" + name + ".log"))).as(name).contains("Using Serial");
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // it stops the master: last
    void eachJvmDumpsItsOwnRecordingWhenItExits() throws Exception {
        List<ProcessHandle> workers = pids.values().stream().map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
        try (Writer stdin = new java.io.OutputStreamWriter(master.getOutputStream(), UTF_8)) {
            stdin.write("STOP\n");
        }
        assertThat(master.waitFor(120, TimeUnit.SECONDS)).as("the master exits").isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> workers.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(master.exitValue()).as("master's stderr: %s", stderr()).isZero();
        List<Path> recordings = new ArrayList<>(List.of(temp.resolve("recording.jfr")));
        WORKERS.forEach(name -> recordings.add(temp.resolve("recording-" + name + ".jfr")));
        for (Path recording : recordings) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(recording) && Files.size(recording) > 0);
        }
    }
}
