package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.fork.WorkerClasspath;
import dev.rpcparallel.launcher.startmodes.OpaqueClassLoader;
import dev.rpcparallel.launcher.startmodes.StartModesMaster;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers start however the master is run, where no separate project is needed (the others, a
 * shaded jar, a Spring Boot jar, {@code mvn exec:java} and {@code exec:exec}, are in module
 * {@code consumer-it}): a master whose class path is relative to its directory spawns a worker
 * in another directory; a master whose runtime sits in a class loader the runtime cannot read
 * fails to spawn with a message naming the settings, and spawns with either of them.
 */
class WorkerStartModesIT {
    private static final String CLASSPATH = System.getProperty("java.class.path");

    /**
     * Before: the worker resolved {@code target/classes} against its own directory and found no
     * plugins. And a worker class path without the runtime: the error names the settings.
     */
    @Test
    void aMasterWithARelativeClassPathSpawnsAWorkerInAnotherDirectory(@TempDir Path elsewhere) throws Exception {
        Path here = Path.of("").toAbsolutePath();
        List<String> relative = new ArrayList<>();
        for (String entry : CLASSPATH.split(File.pathSeparator)) {
            relative.add(here.relativize(Path.of(entry).toAbsolutePath()).toString());
        }
        assertThat(relative).anyMatch(entry -> entry.startsWith("target"));

        String out = runMaster(List.of("-cp", String.join(File.pathSeparator, relative),
                StartModesMaster.class.getName(), "relative", elsewhere.toString()));

        assertThat(out).contains("relative: answered",
                "missing failed: Worker 'echo-2' (echo) exited during start with exit code 1.",
                "Could not find or load main class dev.rpcparallel.launcher.worker.WorkerMain",
                "The worker's JVM could not load its main class: its class path (taken from the class path) does not"
                        + " hold this master's classes. Tell the runtime how to start workers: SpawnOptions.builder()"
                        + ".workerClasspath(...)",
                "DONE");
    }

    /**
     * The runtime's jars on the module path (named modules, automatic or not), the application's
     * classes and the tests' other libraries on the class path.
     */
    @Test
    void aMasterWhoseRuntimeIsOnTheModulePathSpawnsAWorker() throws Exception {
        List<String> modulePath = new ArrayList<>();
        Path launcherJar = null;
        try (var jars = java.nio.file.Files.list(Path.of("target"))) {
            launcherJar = jars.filter(jar -> jar.getFileName().toString().matches("rpc-parallel-launcher-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("the launcher's jar is not built"));
        }
        modulePath.add(launcherJar.toAbsolutePath().toString());
        List<String> classPath = new ArrayList<>();
        classPath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        for (String entry : CLASSPATH.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (!entry.endsWith(".jar")) {
                continue; // the launcher's own classes: its jar is on the module path
            }
            boolean runtime = name.startsWith("rpc-parallel-") || name.startsWith("log4j-api-") || name.startsWith("picocli-");
            (runtime ? modulePath : classPath).add(entry);
        }
        String out = runMaster(List.of("-p", String.join(File.pathSeparator, modulePath),
                "--add-modules", "ALL-MODULE-PATH", "-cp", String.join(File.pathSeparator, classPath),
                StartModesMaster.class.getName(), "modules"));

        assertThat(out).contains("RUNTIME MODULE dev.rpcparallel.launcher", "modules: answered", "DONE");
    }

    @Test
    void aMasterWhoseClassPathCannotBeToldNamesTheSettingsAndSpawnsWithThem() throws Exception {
        String out = runMaster(List.of("-cp", CLASSPATH, OpaqueClassLoader.class.getName(), CLASSPATH));

        assertThat(out).contains("LOADER OpaqueClassLoader",
                "defaults failed: Cannot start a JVM for worker 'echo-",
                "Cannot tell the class path of a worker: this master's rpc-parallel runtime"
                        + " (dev.rpcparallel.launcher.fork.WorkerClasspath) is loaded by "
                        + OpaqueClassLoader.class.getName() + ", and it is not a URLClassLoader.",
                "SpawnOptions.builder().workerClasspath(...)", "-D" + WorkerClasspath.CLASSPATH_PROPERTY + "=",
                "classpath: answered",
                "command: answered",
                "DONE");
    }

    @Test
    void theMasterWidePropertyGivesEverySpawnItsClassPath() throws Exception {
        String out = runMaster(List.of("-D" + WorkerClasspath.CLASSPATH_PROPERTY + "=" + CLASSPATH, "-cp", CLASSPATH,
                OpaqueClassLoader.class.getName(), CLASSPATH));

        assertThat(out).contains("LOADER OpaqueClassLoader", "defaults: answered", "classpath: answered",
                "command: answered", "DONE");
    }

    private static String runMaster(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(arguments);
        Process master = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(master.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(master.getErrorStream()));
        try {
            boolean exited = master.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                master.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String out = stdout.get(10, TimeUnit.SECONDS);
            String err = stderr.get(10, TimeUnit.SECONDS);
            String printed = String.format("it printed:%n%s%nand on stderr:%n%s", out, err);
            assertThat(exited).as("the master exited; %s", printed).isTrue();
            assertThat(master.exitValue()).as("the master's exit status; %s", printed).isZero();
            assertThat(out).as(printed).contains("DONE");
            return out;
        } finally {
            master.destroyForcibly();
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
