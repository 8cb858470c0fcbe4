package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.launcher.cli.RpcParallelCli;
import dev.rpcparallel.launcher.sharing.RuntimeDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that outlive their master, shared: a master exports their accesses and exits; another
 * master process loads one and calls the worker; {@code rpc-parallel ps} and {@code stop}, run as
 * their own JVMs, list and end them. Every process here uses a runtime directory of its own.
 */
class SharingIT {

    @TempDir
    Path dir;

    @Test
    void anExportedWorkerIsCalledByAnotherMasterListedByPsAndStoppedByStop() throws Exception {
        Path runtime = dir.resolve("runtime");
        Map<String, String> env = Map.of(RuntimeDirectory.ENVIRONMENT_VARIABLE, runtime.toString());
        Run exporter = run(SharingMaster.class, env, "export", "shared-a", "shared-b");
        assertThat(exporter.status).as(exporter.output).isZero();
        long pidA = Long.parseLong(exporter.field("PID shared-a"));
        long pidB = Long.parseLong(exporter.field("PID shared-b"));
        ProcessHandle workerA = ProcessHandle.of(pidA).orElseThrow();
        ProcessHandle workerB = ProcessHandle.of(pidB).orElseThrow();
        try {
            Path accessA = Path.of(exporter.field("ACCESS shared-a"));
            Path accessB = Path.of(exporter.field("ACCESS shared-b"));
            // Private to the user: the files 0600, every directory on the way 0700.
            assertThat(mode(accessA)).isEqualTo("rw-------");
            assertThat(mode(runtime)).isEqualTo("rwx------");
            assertThat(mode(accessA.getParent())).isEqualTo("rwx------");
            assertThat(mode(runtime.resolve("workers"))).isEqualTo("rwx------");
            // The master that spawned them has exited; they have not.
            assertThat(workerA.isAlive()).isTrue();
            assertThat(workerB.isAlive()).isTrue();

            Run caller = run(SharingMaster.class, env, "connect", accessA.toString());
            assertThat(caller.field("CALLED")).as(caller.output).isEqualTo(Long.toString(pidA));

            // A's key in a file that names B: B refuses to be proved to with another worker's key.
            String textB = Files.readString(accessB);
            String keyA = line(Files.readString(accessA), "key=");
            Path tampered = dir.resolve("tampered.access");
            Files.writeString(tampered, textB.replace(line(textB, "key="), keyA));
            Files.setPosixFilePermissions(tampered, PosixFilePermissions.fromString("rw-------"));
            Run refused = run(SharingMaster.class, env, "connect", tampered.toString());
            assertThat(refused.field("REFUSED")).as(refused.output)
                    .contains("worker 'shared-b'")
                    .contains("the server there does not know the key of worker " + idIn(textB));

            Run ps = run(RpcParallelCli.class, env, "ps");
            assertThat(ps.status).as(ps.output).isZero();
            String rowA = ps.lineStarting("shared-a ");
            assertThat(rowA.split("\\s+")).contains("lifecycle", Long.toString(pidA), addressIn(textB, rowA));
            assertThat(rowA).contains("(gone)"); // its master has exited
            assertThat(ps.lineStarting("shared-b ")).contains(" " + pidB + " ");

            // Killed with no chance to clean up: ps ignores its entry and deletes it.
            Path entryB = runtime.resolve("workers").resolve(idIn(textB) + ".worker");
            assertThat(entryB).exists();
            assertThat(mode(entryB)).isEqualTo("rw-------");
            workerB.destroyForcibly();
            workerB.onExit().get(30, TimeUnit.SECONDS);
            Run psAfterKill = run(RpcParallelCli.class, env, "ps");
            assertThat(psAfterKill.output).contains("shared-a ").doesNotContain("shared-b");
            assertThat(entryB).doesNotExist();

            Path entryA = runtime.resolve("workers").resolve(idIn(Files.readString(accessA)) + ".worker");
            assertThat(entryA).exists();
            Run stop = run(RpcParallelCli.class, env, "stop", "shared-a");
            assertThat(stop.status).as(stop.output).isZero();
            assertThat(stop.output).contains("Stopped worker 'shared-a' (pid " + pidA + ").");
            workerA.onExit().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(entryA));
            assertThat(run(RpcParallelCli.class, env, "ps").output).contains("No live workers in");
        } finally {
            workerA.destroyForcibly();
            workerB.destroyForcibly();
        }
    }

    @Test
    void stopNamingNoLiveWorkerSaysWhichAreLive() throws Exception {
        Map<String, String> env = Map.of(RuntimeDirectory.ENVIRONMENT_VARIABLE, dir.resolve("empty").toString());
        Run stop = run(RpcParallelCli.class, env, "stop", "nobody");
        assertThat(stop.status).isEqualTo(1);
        assertThat(stop.output).contains("No live worker is named 'nobody' or has an id starting so (live workers: [])."
                + " Run rpc-parallel ps to list them.");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    private static String idIn(String accessText) {
        return line(accessText, "id=").substring("id=".length());
    }

    /**
     * The worker address in {@code row} (of either transport: the workers' is the default's),
     * checked against the form the access files use.
     */
    private static String addressIn(String anyAccess, String row) {
        Matcher matcher = Pattern.compile("(thrift|unix)://\\S+").matcher(row);
        assertThat(matcher.find()).as(row).isTrue();
        assertThat(line(anyAccess, "address=")).startsWith("address=" + matcher.group(1) + "\\://");
        return matcher.group();
    }

    private record Run(int status, String output) {
        String field(String prefix) {
            return lineStarting(prefix + " ").substring(prefix.length() + 1).trim();
        }

        String lineStarting(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + output));
        }
    }

    /** Runs {@code main} in its own JVM with this test's class path, and waits for it. */
    private Run run(Class<?> main, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = new HashMap<>(env);
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 120 s: " + command);
        }
        return new Run(process.exitValue(), new String(output, UTF_8));
    }
}
