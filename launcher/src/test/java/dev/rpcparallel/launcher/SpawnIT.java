package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.fork.WorkerCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.registry.WorkerListing;
import dev.rpcparallel.launcher.testplugins.Counter;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.EchoWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spawns real worker JVMs. One echo worker is shared by the tests that only call it. */
class SpawnIT {
    private static WorkerRef shared;

    @BeforeAll
    static void spawnSharedWorker() {
        shared = Parallel.spawn(Echo.TYPE, "shared:", SpawnOptions.builder().name("shared-echo").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
        assertThat(WorkerProcesses.childrenOfThisJvm()).isEmpty();
    }

    @Test
    void spawnedWorkerAnswersCalls() throws Exception {
        try (Connection connection = Parallel.connect(shared, Echo.TYPE, "first")) {
            assertThat(connection.call(Echo.ECHO, "hello")).isEqualTo("shared:hello");
            assertThat(connection.callAsync(Echo.ADD, new Echo.Pair(40, 2)).get(30, TimeUnit.SECONDS)).isEqualTo(42L);
            assertThat(connection.call(Echo.CONNECTION_LABEL, null)).isEqualTo("first");
            assertThat(connection.call(Echo.PID, null)).isNotEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void workerCommandLineShowsMarkerNameAndParent() {
        try (Connection connection = Parallel.connect(shared, Echo.TYPE, "args")) {
            List<String> arguments = connection.call(Echo.ARGUMENTS, null);
            String commandLine = String.join(" ", arguments);
            assertThat(commandLine).contains("rpc-parallel-worker shared-echo child-of-" + ProcessHandle.current().pid() + "@");
            assertThat(arguments).anyMatch(argument -> argument.startsWith("@") && argument.endsWith(".argfile"));
            assertThat(arguments.subList(arguments.size() - 4, arguments.size()).get(0))
                    .isEqualTo(WorkerCommand.WORKER_MAIN);
        }
    }

    @Test
    void theSecretIsInNeitherTheWorkersCommandLineNorItsArgfileNorItsEnvironment(@TempDir Path directory)
            throws Exception {
        LauncherRuntime application = new LauncherRuntime();
        try {
            // The worker deletes its argfile as soon as its main starts: hold its JVM before main
            // (HotSpot waits while the file vm.paused.PID exists in its working directory) to read it.
            CompletableFuture<WorkerRef> spawned = CompletableFuture.supplyAsync(() -> application.spawn(Echo.TYPE, "",
                    SpawnOptions.builder().name("keeps-a-secret").workingDirectory(directory)
                            .addJvmOptions("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup").build()));
            Path pauseFile = await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (var files = Files.list(directory)) {
                    return files.filter(f -> f.getFileName().toString().startsWith("vm.paused.")).findFirst();
                }
            }, Optional::isPresent).orElseThrow();
            long pid = Long.parseLong(pauseFile.getFileName().toString().substring("vm.paused.".length()));
            Path proc = Path.of("/proc", Long.toString(pid));
            byte[] commandLine = Files.readAllBytes(proc.resolve("cmdline"));
            List<String> arguments = List.of(new String(commandLine, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
            Path argFile = Path.of(arguments.stream().filter(argument -> argument.startsWith("@")).findFirst()
                    .orElseThrow(() -> new AssertionError("no @argfile in " + arguments)).substring(1));
            byte[] argFileBytes = Files.readAllBytes(argFile);
            Files.delete(pauseFile);
            WorkerRef worker = spawned.get(60, TimeUnit.SECONDS);
            try (Connection connection = application.connect(worker, "")) {
                assertThat(connection.call(Echo.PID, null)).isEqualTo(pid);
            }
            byte[] environment = Files.readAllBytes(proc.resolve("environ"));
            // What was read is the worker's own: its marker, its class path, its environment.
            assertThat(arguments).contains("keeps-a-secret", "rpc-parallel-worker");
            assertThat(new String(argFileBytes, java.nio.charset.StandardCharsets.UTF_8)).contains("-cp");
            assertThat(new String(environment, java.nio.charset.StandardCharsets.UTF_8)).contains("PATH=");
            // And the argfile is gone once the worker runs.
            assertThat(argFile).doesNotExist();

            byte[] secret = application.context().secret();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(16);
            for (Map.Entry<String, byte[]> encoding : encodingsOf(secret).entrySet()) {
                String form = encoding.getKey();
                byte[] encoded = encoding.getValue();
                assertThat(indexOf(commandLine, encoded)).as("the secret (as %s) in the command line", form).isNegative();
                assertThat(indexOf(argFileBytes, encoded)).as("the secret (as %s) in %s", form, argFile).isNegative();
                assertThat(indexOf(environment, encoded)).as("the secret (as %s) in the environment", form).isNegative();
            }
        } finally {
            application.shutdownAll();
        }
    }

    /** The secret's raw bytes and every usual text form of them: hex, Base64, URL-safe Base64. */
    private static Map<String, byte[]> encodingsOf(byte[] secret) {
        java.util.HexFormat hex = java.util.HexFormat.of();
        Map<String, String> texts = Map.of("hex", hex.formatHex(secret),
                "upper-case hex", hex.withUpperCase().formatHex(secret),
                "Base64", java.util.Base64.getEncoder().withoutPadding().encodeToString(secret),
                "URL-safe Base64", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        Map<String, byte[]> forms = new java.util.LinkedHashMap<>();
        forms.put("raw bytes", secret);
        texts.forEach((form, text) -> forms.put(form, text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return forms;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void twoConnectionsShareWorkerStateButNotConnectionState() {
        try (Connection a = Parallel.connect(shared, Echo.TYPE, "a");
                Connection b = Parallel.connect(shared, Echo.TYPE, "b")) {
            long before = a.call(Echo.INCREMENT, 0L);
            a.call(Echo.INCREMENT, 5L);
            assertThat(b.call(Echo.INCREMENT, 1L)).isEqualTo(before + 6);
            assertThat(a.call(Echo.CONNECTION_LABEL, null)).isEqualTo("a");
            assertThat(b.call(Echo.CONNECTION_LABEL, null)).isEqualTo("b");
        }
    }

    @Test
    void remoteExceptionNamesWorkerFunctionTypeMessageAndStack() {
        try (Connection connection = Parallel.connect(shared, Echo.TYPE, "errors")) {
            assertThatThrownBy(() -> connection.call(Echo.FAIL, "boom on purpose"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.workerName()).isEqualTo("shared-echo");
                        assertThat(e.functionName()).isEqualTo("function 'fail'");
                        assertThat(e.remoteType()).endsWith("EchoWorker$DeliberateFailure");
                        assertThat(e.remoteMessage()).isEqualTo("boom on purpose");
                        assertThat(e.remoteStackTrace()).contains("at dev.rpcparallel.launcher.testplugins.EchoWorker");
                        assertThat(e.getMessage()).startsWith("worker 'shared-echo', function 'fail': ")
                                .endsWith("DeliberateFailure: boom on purpose").doesNotContain("\n");
                        assertThat(e.getCause()).hasMessageContaining("at dev.rpcparallel.launcher.testplugins.EchoWorker");
                    });
            // The connection keeps working after a failed call.
            assertThat(connection.call(Echo.ECHO, "still here")).isEqualTo("shared:still here");
        }
    }

    @Test
    void failingConnectionStateInitFailsConnect() {
        assertThatThrownBy(() -> Parallel.connect(shared, Echo.TYPE, "fail-connect"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("shared-echo")
                .hasMessageContaining("connection-state init threw java.lang.IllegalStateException: connection refused: fail-connect")
                .cause().isInstanceOfSatisfying(RemoteException.class,
                        e -> assertThat(e.remoteStackTrace()).contains("EchoWorker.initConnectionState"));
    }

    @Test
    void aConnectionStateInitRunsOnTheConnectionsReadingThreadNotHandedToAnother() {
        // Nothing else can arrive before READY: a hand-off (and, in a worker just started, the
        // first call thread's start) would only lie on the way to the first answer.
        try (Connection connection = Parallel.connect(shared, Echo.TYPE, EchoWorker.THREAD_LABEL)) {
            assertThat(connection.call(Echo.CONNECTION_LABEL, null)).startsWith("init ran on rpc-parallel-read-");
        }
    }

    @Test
    void eightThreadsTimesThousandCallsOnOneConnectionAllAnswerRight() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (Connection connection = Parallel.connect(shared, Echo.TYPE, "busy")) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    int right = 0;
                    for (int i = 0; i < 1000; i++) {
                        String text = thread + "/" + i;
                        if (connection.call(Echo.ECHO, text).equals("shared:" + text)
                                && connection.call(Echo.ADD, new Echo.Pair(thread, i)) == thread + i) {
                            right++;
                        }
                    }
                    return right;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(1000);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void workerRefPassedToAnotherWorkerLetsItCallTheFirst() {
        WorkerRef second = Parallel.spawn(Echo.TYPE, "second:", SpawnOptions.builder().name("second-echo").build());
        try (Connection connection = Parallel.connect(second, Echo.TYPE, "caller")) {
            assertThat(connection.call(Echo.ECHO_VIA, shared)).isEqualTo("shared:hop");
        } finally {
            Parallel.shutdown(second);
        }
    }

    @Test
    void failingWorkerStateInitFailsSpawnWithRemoteStack() {
        assertThatThrownBy(() -> Parallel.spawn(Echo.TYPE, "fail-init", SpawnOptions.builder().name("bad-init").build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Worker 'bad-init' (echo) failed in its worker-state init:"
                        + " java.lang.IllegalArgumentException: init refused: fail-init")
                .cause().isInstanceOfSatisfying(RemoteException.class, e -> {
                    assertThat(e.functionName()).isEqualTo("worker-state init");
                    assertThat(e.remoteStackTrace()).contains("EchoWorker.refuse", "EchoWorker.initWorkerState");
                });
    }

    @Test
    void workerExitingDuringStartFailsSpawnWithExitCodeAndItsLastOutput() {
        assertThatThrownBy(() -> Parallel.spawn(Echo.TYPE, "exit-in-init", SpawnOptions.builder().name("quitter").build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Worker 'quitter' (echo) exited during start with exit code 7")
                .hasMessageContaining("echo worker: exiting with status 7 during init, on purpose");
    }

    @Test
    void spawnTimeoutSaysWhatTheWorkerLastPrintedAndKillsIt() {
        long workersBefore = WorkerProcesses.childrenOfThisJvm().size();
        assertThatThrownBy(() -> Parallel.spawn(Echo.TYPE, "sleep-in-init", SpawnOptions.builder().name("sleeper")
                        .spawnTimeout(Duration.ofSeconds(5)).build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("Worker 'sleeper' (echo) did not register within 5000 ms, so it was killed")
                .hasMessageContaining("echo worker: sleeping in init, on purpose");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> WorkerProcesses.childrenOfThisJvm().size() <= workersBefore);
    }

    @Test
    void workerFromDifferentPluginSetFailsSpawnSayingSo(@TempDir Path dir) throws Exception {
        List<String> names = new ArrayList<>(WorkerListing.find(getClass().getClassLoader()).names());
        String mastersFirst = names.get(0);
        java.util.Collections.reverse(names);
        Path reordered = Files.writeString(dir.resolve("workers.list"), String.join("\n", names));
        assertThatThrownBy(() -> Parallel.spawn(Echo.TYPE, "x", SpawnOptions.builder().name("skewed")
                        .addJvmOptions("-Drpcparallel.workers=" + reordered).build()))
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("exited during start with exit code 3")
                // The plugin its master named is checked against the worker's own listing first.
                .hasMessageContaining("rpc-parallel worker 'skewed': the plugin its master named for 'echo' ("
                        + EchoWorker.class.getName() + ", id " + (names.size() - names.indexOf("echo")) + ")"
                        + " is not used: its worker listing (" + reordered.toAbsolutePath() + ") is not its"
                        + " master's; looking for the plugin on the class path instead")
                .hasMessageContaining("this worker and its master were built from different plugin sets")
                .hasMessageContaining("1 " + names.get(0) + " init(")
                .hasMessageContaining("1 " + mastersFirst + " init(");
    }

    @Test
    void shutdownMakesTheProcessExit() throws Exception {
        WorkerRef worker = Parallel.spawn(Counter.TYPE, null, SpawnOptions.builder().name("short-lived").build());
        long pid;
        try (Connection connection = Parallel.connect(worker)) {
            assertThat(connection.call(Counter.NEXT, null)).isEqualTo(1L);
            pid = WorkerProcesses.named("short-lived").orElseThrow().pid();
            connection.shutdownWorker();
            assertThat(connection.isOpen()).isFalse();
        }
        CompletableFuture<ProcessHandle> exit = ProcessHandle.of(pid).map(ProcessHandle::onExit)
                .orElse(CompletableFuture.completedFuture(null));
        exit.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> Parallel.connect(worker)).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("short-lived");
    }
}
