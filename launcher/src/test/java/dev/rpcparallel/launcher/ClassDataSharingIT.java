package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.fork.ClassDataSharing;
import dev.rpcparallel.launcher.fork.WorkerCommand;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AppCDS for workers, with masters in JVMs of their own whose class path is jars only (the
 * test's class directories packed into jars), each spawning one worker and shutting it down.
 */
class ClassDataSharingIT {
    @TempDir
    static Path jars;
    private static String jarClasspath;

    @TempDir
    Path cache;
    @TempDir
    Path logs;

    @BeforeAll
    static void packClassDirectories() throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = jars.resolve("classes-" + n++ + ".jar");
                pack(path, jar);
                entries.add(jar.toString());
            } else if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        jarClasspath = String.join(File.pathSeparator, entries);
    }

    @Test
    void theFirstSpawnCreatesTheArchiveAndALaterSpawnMapsItUnchanged() throws Exception {
        Run first = runMaster(List.of());
        assertThat(first.workerArgs()).as("the spawn's worker starts without CDS options; its maker dumps")
                .noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit") || arg.startsWith("-XX:SharedArchiveFile"));
        Path archive = singleArchive();
        assertThat(cacheFiles()).containsExactlyInAnyOrder(archive.getFileName().toString(),
                archive.getFileName() + ".crc32c");
        assertThat(Files.readString(Path.of(archive + ".crc32c")).trim()).isEqualTo(checksum(archive));
        long created = Files.getLastModifiedTime(archive).toMillis();

        Run second = runMaster(List.of("-Xlog:class+load:file=" + logs.resolve("classes-%p.log"),
                "-Xlog:cds=info:file=" + logs.resolve("cds-%p.log")));
        assertThat(second.workerArgs()).contains("-XX:SharedArchiveFile=" + archive)
                .noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit"));
        // One static archive, ours, in place of the JDK's default one: no second (dynamic) archive on top.
        String cds = logText("cds-");
        assertThat(cds).contains("Opened archive " + archive + ".").contains("Mapped static  region")
                .doesNotContain("lib/server/classes").doesNotContain("Mapped dynamic");
        String classes = logText("classes-");
        assertThat(classes).contains("java.lang.Object source: shared objects file" + System.lineSeparator())
                .contains(WorkerCommand.WORKER_MAIN + " source: shared objects file" + System.lineSeparator())
                .doesNotContain("shared objects file (top)");
        assertThat(Files.getLastModifiedTime(archive).toMillis()).isEqualTo(created);
        assertThat(second.output()).doesNotContainIgnoringCase("cds").doesNotContainIgnoringCase("warning");
    }

    /**
     * The archive maker runs a worker's steps through its first answer (issue 17): registered
     * steps (heartbeats, its ps entry) and a first call of a typed function answering
     * {@code byte[]} included, so that a worker mapping the archive loads every class of the
     * runtime it needs by its first answer from there, not from its jars (which it would open and
     * read for them). The plugin's own classes are left out: the maker runs no plugin code.
     */
    @Test
    void aWorkersFirstAnswerLoadsNoClassOfTheRuntimeFromItsJars() throws Exception {
        // Sockets of their own: a worker that finds the socket directories of processes killed by
        // other tests deletes them and logs it at DEBUG, which loads the logging classes.
        Map<String, String> sockets = Map.of("RPC_PARALLEL_SOCKET_DIR", logs.resolve("sockets").toString());
        Path unlogged = Files.createDirectories(logs.resolve("making"));
        runMaster(List.of("-D" + CdsTestMaster.FIRST_ANSWER + "=" + unlogged), List.of(), jarClasspath, sockets);
        Path archive = singleArchive();
        Path logged = Files.createDirectories(logs.resolve("mapping"));
        runMaster(List.of("-D" + CdsTestMaster.FIRST_ANSWER + "=" + logged),
                List.of("-Xlog:class+load:file=" + logged.resolve("classes-%p.log")), jarClasspath, sockets);
        List<String> loaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(logged.resolve("first-answer"))) {
            for (Path file : files.toList()) {
                // "[0.123s][info][class,load] NAME source: WHERE"
                for (String line : Files.readAllLines(file, UTF_8)) {
                    loaded.add(line.replaceFirst("^(\\[[^\\]]*\\])+\\s*", ""));
                }
            }
        }
        assertThat(loaded).as("the classes the worker loaded by its first answer")
                .contains(WorkerCommand.WORKER_MAIN + " source: shared objects file")
                .anyMatch(line -> line.startsWith("dev.rpcparallel.launcher.protocol.BinaryPayloads "));
        assertThat(loaded.stream().filter(line -> line.startsWith("dev.rpcparallel.")
                        && !line.startsWith("dev.rpcparallel.launcher.testplugins.")
                        && !line.endsWith(" source: shared objects file")).toList())
                .as("classes of the runtime the worker loaded by its first answer from elsewhere than %s", archive)
                .isEmpty();
    }

    @Test
    void aDamagedArchiveIsNotMappedButQuietlyReplaced() throws Exception {
        runMaster(List.of());
        Path archive = singleArchive();
        // Cut short: a JVM mapping a truncated archive dies of SIGBUS.
        byte[] bytes = Files.readAllBytes(archive);
        archive.toFile().setWritable(true);
        Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Run damaged = runMaster(List.of());
        assertThat(damaged.workerArgs()).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile")
                || arg.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(damaged.output()).doesNotContainIgnoringCase("cds").doesNotContainIgnoringCase("warning")
                .doesNotContain("fatal error");
        assertThat(singleArchive()).isEqualTo(archive);
        assertThat(checksum(archive)).isEqualTo(Files.readString(Path.of(archive + ".crc32c")).trim());
        assertThat(Files.size(archive)).isGreaterThan(bytes.length / 2);

        Run after = runMaster(List.of());
        assertThat(after.workerArgs()).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void mastersRacingOnAnEmptyCacheLeaveOneIntactArchive() throws Exception {
        List<CompletableFuture<Run>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return runMaster(List.of());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Run> run : runs) {
            assertThat(run.get(5, TimeUnit.MINUTES).output()).doesNotContainIgnoringCase("warning");
        }
        Path archive = singleArchive();
        assertThat(cacheFiles()).containsExactlyInAnyOrder(archive.getFileName().toString(),
                archive.getFileName() + ".crc32c");
        assertThat(checksum(archive)).isEqualTo(Files.readString(Path.of(archive + ".crc32c")).trim());
        assertThat(runMaster(List.of()).workerArgs()).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void theArchiveIsMadeWhileTheFirstWorkerRunsByAJvmThatRunsNoStateInit() throws Exception {
        Path markers = Files.createDirectories(jars.resolve("init-markers"));
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Drpcparallel.cds.dir=" + cache, "-D" + CdsTestMaster.HOLD + "=true", "-cp", jarClasspath,
                CdsTestMaster.class.getName(), "-D" + Lifecycle.INIT_MARKER_DIRECTORY + "=" + markers,
                "-D" + Lifecycle.INIT_MILLIS + "=3000");
        Process master = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(master.getInputStream(), UTF_8));
            List<String> args = new ArrayList<>();
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null && !line.equals("READY"); line = out.readLine()) {
                        args.add(line);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ready.get(120, TimeUnit.SECONDS);
            assertThat(args).as("the spawn's worker").noneMatch(line -> line.startsWith("ARG -XX:ArchiveClassesAtExit"));
            String marker = "child-of-" + master.pid() + "@";
            List<ProcessHandle> workers = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                    .map(a -> String.join(" ", a)).filter(line -> line.contains(marker)
                            && !line.contains(ClassDataSharing.MAKER_PROPERTY)).isPresent()).toList();
            assertThat(workers).hasSize(1);
            // Made and installed by the maker while the spawn's worker still serves its master.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                    .until(() -> cacheFiles().stream().anyMatch(name -> name.endsWith(".jsa")));
            assertThat(workers.get(0).isAlive()).as("the spawn's worker while the archive is there").isTrue();
            Path archive = singleArchive();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> cacheFiles().size() == 2);
            assertThat(cacheFiles()).containsExactlyInAnyOrder(archive.getFileName().toString(),
                    archive.getFileName() + ".crc32c");
            assertThat(checksum(archive)).isEqualTo(Files.readString(Path.of(archive + ".crc32c")).trim());
            try (Stream<Path> files = Files.list(markers)) {
                assertThat(files.map(file -> file.getFileName().toString()).toList())
                        .as("state inits run: the spawn's worker's alone, not the maker's")
                        .containsExactly("init-" + workers.get(0).pid());
            }
            // The maker started once the worker had registered, after its 3 s state init, not beside
            // its start (it would have written the archive during that init).
            assertThat(Files.getLastModifiedTime(archive).toInstant())
                    .as("when the maker wrote the archive, against the end of the worker's state init")
                    .isAfter(Files.getLastModifiedTime(markers.resolve("init-" + workers.get(0).pid())).toInstant());
        } finally {
            master.destroyForcibly();
        }
        assertThat(master.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // The archive holds the start path: the next worker maps it, but not the class its state
        // init loads (a worker dumping at its exit, having run its init, would have archived it).
        Run next = runMaster(List.of("-Xlog:class+load:file=" + logs.resolve("classes-%p.log"),
                "-D" + Lifecycle.INIT_MARKER_DIRECTORY + "=" + markers));
        assertThat(next.workerArgs()).contains("-XX:SharedArchiveFile=" + singleArchive());
        String classes = logText("classes-");
        assertThat(classes).contains(WorkerCommand.WORKER_MAIN + " source: shared objects file" + System.lineSeparator())
                .contains(Lifecycle.class.getName() + " source: shared objects file" + System.lineSeparator())
                .contains(Lifecycle.InitMarker.class.getName() + " source: ")
                .doesNotContain(Lifecycle.InitMarker.class.getName() + " source: shared objects file");
    }

    @Test
    void aClaimAndTemporaryArchiveOfAKilledMasterAreNotInTheWayOfTheNext() throws Exception {
        Process killed = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).start();
        String tag = new dev.rpcparallel.launcher.fork.OwnerProcess(killed.pid(),
                killed.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L)).tag();
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        runMaster(List.of());
        Path archive = singleArchive();
        String name = archive.getFileName().toString();
        Files.delete(archive);
        Files.delete(Path.of(archive + ".crc32c"));
        // What a master killed while its maker ran leaves: its claim, fresh, and the maker's temporary.
        Files.writeString(cache.resolve(name + ".lock"), tag, UTF_8);
        Files.writeString(cache.resolve(name + "." + tag + "-1.tmp"), "half an archive", UTF_8);

        // The next master takes the claim over at once (not a minute later) and cleans up.
        Run next = runMaster(List.of());
        assertThat(next.workerArgs()).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"));
        assertThat(singleArchive()).isEqualTo(archive);
        assertThat(cacheFiles()).containsExactlyInAnyOrder(name, name + ".crc32c");
        assertThat(runMaster(List.of()).workerArgs()).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void aSpawnWhoseWorkerNeverRegistersStartsNoMakerAndReleasesItsClaim() throws Exception {
        // The same master then spawns again with the same key: had the failed spawn kept its claim,
        // this master (alive) would hold it and its second spawn would make no archive.
        String failing = "-Djava.security.manager=no.such.Manager";
        String makerName = CdsTestMaster.FAILING_NAME + "-cds-archive";
        List<Long> makersSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        CompletableFuture<Void> watch = CompletableFuture.runAsync(() -> {
            while (watching.get()) {
                ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a))
                        .filter(line -> line.contains(makerName) && line.contains(cache.toString())).isPresent())
                        .forEach(p -> makersSeen.add(p.pid()));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Run run;
        try {
            run = runMaster(List.of("-D" + CdsTestMaster.FAIL_FIRST + "=" + failing), List.of(), jarClasspath);
        } finally {
            watching.set(false);
            watch.get(30, TimeUnit.SECONDS);
        }
        assertThat(run.output()).contains("FIRST FAILED: ").doesNotContain("FIRST SPAWNED");
        assertThat(makersSeen).as("archive makers of the spawn whose worker never registered").isEmpty();
        assertThat(run.workerArgs()).as("the second spawn's worker: it makes the archive")
                .noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"));
        Path archive = singleArchive();
        assertThat(cacheFiles()).containsExactlyInAnyOrder(archive.getFileName().toString(),
                archive.getFileName() + ".crc32c");
    }

    @Test
    void makingAnArchiveDeletesOnesUnusedForAMonth() throws Exception {
        Path old = cache.resolve("worker-0123456789abcdef0123456789abcdef.jsa");
        Files.writeString(old, "an archive of a class path long gone", UTF_8);
        Files.writeString(Path.of(old + ".crc32c"), checksum(old), UTF_8);
        java.nio.file.attribute.FileTime monthsAgo = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - TimeUnit.DAYS.toMillis(40));
        Files.setLastModifiedTime(old, monthsAgo);
        Files.setLastModifiedTime(Path.of(old + ".crc32c"), monthsAgo);

        runMaster(List.of());
        assertThat(old).doesNotExist();
        assertThat(Path.of(old + ".crc32c")).doesNotExist();
        assertThat(singleArchive()).isNotEqualTo(old);
    }

    @Test
    void theOffSwitchOfASpawnLeavesCdsOut() throws Exception {
        Run off = runMaster(List.of("-Drpcparallel.cds=false"));
        assertThat(off.workerArgs()).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile")
                || arg.startsWith("-XX:ArchiveClassesAtExit") || arg.startsWith("-Xlog:cds"));
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aClassPathWithADirectoryGetsNoArchive() throws Exception {
        Path directory = Files.createDirectories(jars.resolve("a-directory"));
        Files.writeString(directory.resolve("note.txt"), "not empty", UTF_8);
        Run run = runMaster(List.of(), jarClasspath + File.pathSeparator + directory);
        assertThat(run.workerArgs()).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile")
                || arg.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(cacheFiles()).isEmpty();
    }

    private record Run(List<String> workerArgs, String output) {}

    private Run runMaster(List<String> spawnOptions) throws Exception {
        return runMaster(spawnOptions, jarClasspath);
    }

    private Run runMaster(List<String> spawnOptions, String classpath) throws Exception {
        return runMaster(List.of(), spawnOptions, classpath);
    }

    private Run runMaster(List<String> masterOptions, List<String> spawnOptions, String classpath) throws Exception {
        return runMaster(masterOptions, spawnOptions, classpath, Map.of());
    }

    private Run runMaster(List<String> masterOptions, List<String> spawnOptions, String classpath,
            Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Drpcparallel.cds.dir=" + cache));
        command.addAll(masterOptions);
        command.addAll(List.of("-cp", classpath, CdsTestMaster.class.getName()));
        command.addAll(spawnOptions);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process master = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = master.getInputStream()) {
                return new String(in.readAllBytes(), UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
        String text = output.get(120, TimeUnit.SECONDS);
        assertThat(master.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(master.exitValue()).as("master exit status; it printed:%n%s", text).isZero();
        assertThat(text).as("the master's output").contains("READY");
        List<String> args = text.lines().filter(line -> line.startsWith("ARG ")).map(line -> line.substring(4)).toList();
        String rest = String.join("\n", text.lines().filter(line -> !line.startsWith("ARG ")
                && !line.equals("READY")).toList());
        return new Run(args, rest);
    }

    private Path singleArchive() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> archives = files.filter(file -> file.getFileName().toString().endsWith(".jsa")).toList();
            assertThat(archives).as("archives in the cache").hasSize(1);
            return archives.get(0);
        }
    }

    private List<String> cacheFiles() throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    /** The text of the JVM logs in {@link #logs} whose names start with {@code prefix}. */
    private String logText(String prefix) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(file -> file.getFileName().toString().startsWith(prefix)).toList()) {
                text.append(Files.readString(file, UTF_8));
            }
        }
        return text.toString();
    }

    private static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] bytes = Files.readAllBytes(file);
        crc.update(bytes);
        return bytes.length + " " + Long.toHexString(crc.getValue());
    }

    private static void pack(Path directory, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
                    out.putNextEntry(new JarEntry(directory.relativize(path).toString().replace(File.separatorChar, '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }
}
