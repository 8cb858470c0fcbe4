package dev.rpcparallel.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Drop a jar": compiles a plugin from source against the api and spi jars only, registered by
 * the annotation processor (no hand-written META-INF file but its MasterApp's), jars it, drops it
 * into a fresh plugins directory, and calls it through {@code bin/rpc-parallel} and through the
 * API from a plain {@code main}. A broken jar next to it is reported by name and left out. Next to
 * the sample plugins' jar, each with its own listing, both load without a listing for the
 * directory, in the order of their type names, unless the directory's workers.list pins another.
 */
class DropInPluginIT {
    private static final Path HOME = Path.of("target", "rpc-parallel").toAbsolutePath();
    private static final Path SCRIPT = HOME.resolve("bin/rpc-parallel");

    private static final Map<String, String> SOURCES = Map.of(
            "com/example/greeter/Greeter.java", """
                    package com.example.greeter;

                    import dev.rpcparallel.api.Codecs;
                    import dev.rpcparallel.api.RpcFunction;
                    import dev.rpcparallel.api.WorkerType;

                    public final class Greeter {
                        public static final WorkerType<String, Void> TYPE =
                                WorkerType.of("greeter", Codecs.string(), Codecs.none());
                        public static final RpcFunction<String, String> GREET =
                                RpcFunction.of("greet", Codecs.string(), Codecs.string());
                        private Greeter() {}
                    }
                    """,
            "com/example/greeter/GreeterWorker.java", """
                    package com.example.greeter;

                    import dev.rpcparallel.api.WorkerType;
                    import dev.rpcparallel.spi.FunctionTable;
                    import dev.rpcparallel.spi.RpcParallelWorker;
                    import dev.rpcparallel.spi.WorkerPlugin;

                    @RpcParallelWorker("greeter")
                    public final class GreeterWorker implements WorkerPlugin<String, String, Void, Void> {
                        public WorkerType<String, Void> type() { return Greeter.TYPE; }
                        public String initWorkerState(String greeting) { return greeting; }
                        public Void initConnectionState(Void arg, String greeting) { return null; }
                        public void defineFunctions(FunctionTable<String, Void> functions) {
                            functions.rpc(Greeter.GREET, (call, name) ->
                                    call.workerState() + ", " + name + "! (from worker " + ProcessHandle.current().pid() + ")");
                        }
                    }
                    """,
            "com/example/greeter/GreetApp.java", """
                    package com.example.greeter;

                    import dev.rpcparallel.api.Connection;
                    import dev.rpcparallel.api.Parallel;
                    import dev.rpcparallel.api.SpawnOptions;
                    import dev.rpcparallel.spi.MasterApp;
                    import java.util.List;

                    public final class GreetApp implements MasterApp {
                        public String name() { return "greet"; }
                        public String description() { return "Greets someone from a worker"; }
                        public int run(List<String> args) {
                            String name = args.isEmpty() ? "world" : args.get(0);
                            try (Connection connection = Parallel.spawnAndConnect(
                                    Greeter.TYPE, "Hello", null, SpawnOptions.builder().name("greeter-1").build())) {
                                System.out.println(connection.call(Greeter.GREET, name));
                            }
                            return 0;
                        }
                    }
                    """,
            "com/example/models/ModelWorker.java", """
                    package com.example.models;

                    import dev.rpcparallel.api.Codecs;
                    import dev.rpcparallel.api.WorkerType;
                    import dev.rpcparallel.spi.FunctionTable;
                    import dev.rpcparallel.spi.WorkerPlugin;

                    public final class ModelWorker implements WorkerPlugin<Void, Void, Void, Void> {
                        public WorkerType<Void, Void> type() { return WorkerType.of("models", Codecs.none(), Codecs.none()); }
                        public void defineFunctions(FunctionTable<Void, Void> functions) {
                            throw new IllegalStateException("no model file in /models/latest");
                        }
                    }
                    """,
            "com/example/greeter/GreetMain.java", """
                    package com.example.greeter;

                    import dev.rpcparallel.api.Connection;
                    import dev.rpcparallel.api.Parallel;
                    import dev.rpcparallel.api.WorkerRef;

                    public final class GreetMain {
                        public static void main(String[] args) {
                            Parallel.startApp(args, masterArgs -> {
                                WorkerRef worker = Parallel.spawn(Greeter.TYPE, "Hi");
                                try (Connection connection = Parallel.connect(worker, Greeter.TYPE, null)) {
                                    System.out.println(connection.call(Greeter.GREET, "API"));
                                }
                            });
                        }
                    }
                    """);

    @TempDir
    Path dir;

    @Test
    void aPluginJarBuiltAgainstApiAndSpiOnlyWorksFromAPluginsDirectory() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = buildPluginJar(plugins.resolve("greeter.jar"));
        writeBrokenJar(plugins.resolve("broken.jar"));
        writeModelsJar(plugins.resolve("models.jar"));

        Result listed = run(List.of(SCRIPT.toString(), "--plugins", plugins.toString(), "plugins"));
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).contains("1  greeter  (from greeter.jar)", "rpc greet(string) -> string");
        assertThat(listed.stderr()).contains("rpc-parallel: plugin jar broken.jar left out: class com.example.Missing,"
                + " named in META-INF/services/dev.rpcparallel.spi.WorkerPlugin, cannot be loaded:"
                + " java.lang.ClassNotFoundException: com.example.Missing");
        // A plugin that throws in defineFunctions: named with its class, its jar and the exception, and left out.
        assertThat(listed.stderr()).contains("rpc-parallel: plugin jar models.jar left out: Worker plugin 'models'"
                + " (com.example.models.ModelWorker, from models.jar) threw in defineFunctions:"
                + " java.lang.IllegalStateException: no model file in /models/latest; fix the plugin, or remove its jar");
        assertThat(listed.stdout()).doesNotContain("models");

        // Relative, and named like the 'plugins' command, as in the README.
        Result greeted = run(List.of(SCRIPT.toString(), "--plugins", "plugins", "run", "greet", "Ada"));
        assertThat(greeted.exitCode()).as(greeted.stdout() + greeted.stderr()).isZero();
        assertThat(greeted.stdout()).containsPattern("Hello, Ada! \\(from worker \\d+\\)");
        assertNoWorkerOf(greeted.pid());

        // Through the API: a plain main with lib/ and the plugin jar on its class path.
        String classpath = HOME.resolve("lib") + "/*" + java.io.File.pathSeparator + jar;
        Result api = run(List.of(javaBinary(), "-cp", classpath, "com.example.greeter.GreetMain"));
        assertThat(api.exitCode()).as(api.stdout() + api.stderr()).isZero();
        assertThat(api.stdout()).containsPattern("Hi, API! \\(from worker \\d+\\)");
        assertNoWorkerOf(api.pid());
    }

    @Test
    void aSecondJarWithItsOwnListingDropsInNextToTheSamplePlugins() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path sample = samplePluginsJar();
        Files.copy(sample, plugins.resolve(sample.getFileName()));
        buildPluginJar(plugins.resolve("greeter.jar"));

        // No plugins/workers.list: the two jars' listings combine, ordered by their smallest type name.
        Result listed = run(List.of(SCRIPT.toString(), "--plugins", "plugins", "plugins"));
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).contains("1  calculator  (from " + sample.getFileName() + ")",
                "2  primes  (from " + sample.getFileName() + ")", "3  primestream  (from " + sample.getFileName() + ")",
                "4  tour  (from ", "5  wordcount  (from ", "6  greeter  (from greeter.jar)");

        // The master and its worker compute the same combination: the spawn's handshake agrees.
        Result greeted = run(List.of(SCRIPT.toString(), "--plugins", "plugins", "run", "greet", "Grace"));
        assertThat(greeted.exitCode()).as(greeted.stdout() + greeted.stderr()).isZero();
        assertThat(greeted.stdout()).containsPattern("Hello, Grace! \\(from worker \\d+\\)");
        assertNoWorkerOf(greeted.pid());

        // The directory's own listing still pins every type explicitly.
        Files.writeString(plugins.resolve("workers.list"), "calculator\nprimes\nprimestream\ntour\nwordcount\ngreeter\n");
        Result pinned = run(List.of(SCRIPT.toString(), "--plugins", "plugins", "plugins"));
        assertThat(pinned.exitCode()).as(pinned.stderr()).isZero();
        assertThat(pinned.stdout()).contains("1  calculator  (from ", "6  greeter  (from greeter.jar)");
    }

    @Test
    void aMissingPluginsDirectoryIsAUsageError() throws Exception {
        Result result = run(List.of(SCRIPT.toString(), "--plugins", dir.resolve("nope").toString(), "plugins"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("the plugins directory " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void helpDocumentsThePluginsOption() throws Exception {
        Result result = run(List.of(SCRIPT.toString(), "--help"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("--plugins=DIR", "workers.list");
    }

    private Path buildPluginJar(Path jar) throws Exception {
        Path sources = dir.resolve("src");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17",
                "-cp", libJar("rpc-parallel-api-") + java.io.File.pathSeparator + libJar("rpc-parallel-spi-"),
                "-processorpath", processorJar().toString()));
        for (Map.Entry<String, String> source : SOURCES.entrySet()) {
            Path file = sources.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), UTF_8);
            arguments.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = compiler.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
        assertThat(status).as("javac: %s", diagnostics.toString(UTF_8)).isZero();

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                add(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
            // The processor wrote META-INF/services/...WorkerPlugin and META-INF/rpc-parallel/workers.list.
            add(out, "META-INF/services/dev.rpcparallel.spi.MasterApp", "com.example.greeter.GreetApp\n".getBytes(UTF_8));
        }
        try (java.util.jar.JarFile written = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(new String(written.getInputStream(written.getEntry("META-INF/rpc-parallel/workers.list"))
                    .readAllBytes(), UTF_8)).contains("greeter = com.example.greeter.GreeterWorker");
        }
        return jar;
    }

    /** The annotation processor's jar (or classes), a test dependency of this module. */
    private static Path processorJar() throws Exception {
        Class<?> processor = Class.forName("dev.rpcparallel.processor.WorkerPluginProcessor");
        return Path.of(processor.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path samplePluginsJar() throws IOException {
        try (Stream<Path> jars = Files.list(HOME.resolve("plugins"))) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().startsWith("rpc-parallel-plugins-sample-")).toList();
            assertThat(found).as("the sample plugins' jar in %s", HOME.resolve("plugins")).hasSize(1);
            return found.get(0);
        }
    }

    /** A jar of the plugin whose defineFunctions throws, compiled by {@link #buildPluginJar} with the others. */
    private void writeModelsJar(Path jar) throws IOException {
        String resource = "com/example/models/ModelWorker.class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, resource, Files.readAllBytes(dir.resolve("classes").resolve(resource)));
            add(out, "META-INF/services/dev.rpcparallel.spi.WorkerPlugin", "com.example.models.ModelWorker\n".getBytes(UTF_8));
        }
    }

    private static void writeBrokenJar(Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "META-INF/services/dev.rpcparallel.spi.WorkerPlugin", "com.example.Missing\n".getBytes(UTF_8));
        }
    }

    private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static String libJar(String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(HOME.resolve("lib"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow().toString();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Result(int exitCode, String stdout, String stderr, long pid) {}

    private Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8), process.pid());
    }

    private static void assertNoWorkerOf(long pid) {
        MasterProcesses.awaitNone(pid, Duration.ofSeconds(5));
    }
}
