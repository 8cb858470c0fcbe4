package dev.rpcparallel.processor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles sources with javac and this processor, as a plugin's build does, and reads what it wrote. */
class WorkerPluginProcessorTest {
    private static final String GREETER = """
            package com.example;

            import dev.rpcparallel.api.Codecs;
            import dev.rpcparallel.api.WorkerType;
            import dev.rpcparallel.spi.FunctionTable;
            import dev.rpcparallel.spi.RpcParallelWorker;
            import dev.rpcparallel.spi.WorkerPlugin;

            @RpcParallelWorker("greeter")
            public final class GreeterWorker implements WorkerPlugin<Void, Void, Void, Void> {
                public WorkerType<Void, Void> type() { return WorkerType.of("greeter", Codecs.none(), Codecs.none()); }
                public void defineFunctions(FunctionTable<Void, Void> functions) {}
            }
            """;
    private static final String ADDER = """
            package com.example.math;

            import dev.rpcparallel.api.Codecs;
            import dev.rpcparallel.api.WorkerType;
            import dev.rpcparallel.spi.FunctionTable;
            import dev.rpcparallel.spi.RpcParallelWorker;
            import dev.rpcparallel.spi.WorkerPlugin;

            public final class Plugins {
                private Plugins() {}

                @RpcParallelWorker("adder")
                public static final class Adder implements WorkerPlugin<Void, Void, Void, Void> {
                    public WorkerType<Void, Void> type() { return WorkerType.of("adder", Codecs.none(), Codecs.none()); }
                    public void defineFunctions(FunctionTable<Void, Void> functions) {}
                }
            }
            """;

    @TempDir
    Path dir;

    private record Compilation(boolean success, List<String> errors, Path classes) {
        String file(String path) throws IOException {
            return Files.readString(classes.resolve(path), UTF_8);
        }
    }

    private Compilation compile(Map<String, String> sources) throws IOException {
        return compile(sources, List.of());
    }

    private Compilation compile(Map<String, String> sources, List<String> extraOptions) throws IOException {
        Path sourceDir = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDir.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            files.add(Files.writeString(file, source.getValue(), UTF_8));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
            List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17",
                    "-classpath", System.getProperty("java.class.path")));
            options.addAll(extraOptions);
            JavaCompiler.CompilationTask task = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            task.setProcessors(List.of(new WorkerPluginProcessor()));
            boolean success = task.call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(Locale.ROOT)).toList();
            return new Compilation(success, errors, classes);
        }
    }

    @Test
    void writesTheServicesFileAndTheListingInNameOrder() throws IOException {
        Compilation result = compile(Map.of("com/example/GreeterWorker.java", GREETER,
                "com/example/math/Plugins.java", ADDER));

        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();
        assertThat(result.file(WorkerPluginProcessor.SERVICES))
                .isEqualTo("com.example.math.Plugins$Adder\ncom.example.GreeterWorker\n");
        assertThat(result.file(WorkerPluginProcessor.LISTING).lines().filter(l -> !l.startsWith("#")))
                .containsExactly("adder = com.example.math.Plugins$Adder", "greeter = com.example.GreeterWorker");
    }

    /** An application's strict build: before, "No processor claimed any of these annotations" failed it. */
    @Test
    void aBuildWithAllLintWarningsAsErrorsCompiles() throws IOException {
        Compilation result = compile(Map.of("com/example/GreeterWorker.java", GREETER), List.of("-Xlint:all", "-Werror"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();
    }

    @Test
    void aClassThatIsNotAWorkerPluginIsAnError() throws IOException {
        Compilation result = compile(Map.of("com/example/NotAPlugin.java", """
                package com.example;

                @dev.rpcparallel.spi.RpcParallelWorker("nope")
                public final class NotAPlugin {}
                """));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).containsExactly("@RpcParallelWorker is on com.example.NotAPlugin, which does not"
                + " implement dev.rpcparallel.spi.WorkerPlugin: only a worker plugin class can be registered");
        assertThat(result.classes().resolve(WorkerPluginProcessor.SERVICES)).doesNotExist();
        assertThat(result.classes().resolve(WorkerPluginProcessor.LISTING)).doesNotExist();
    }

    @Test
    void aMissingNameIsAnError() throws IOException {
        Compilation result = compile(Map.of("com/example/GreeterWorker.java",
                GREETER.replace("@RpcParallelWorker(\"greeter\")", "@RpcParallelWorker")));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).containsExactly("@RpcParallelWorker on com.example.GreeterWorker gives no worker"
                + " type name: write @RpcParallelWorker(\"NAME\") with the name of the WorkerType that type() returns");
        assertThat(result.classes().resolve(WorkerPluginProcessor.LISTING)).doesNotExist();
    }

    @Test
    void anInvalidNameIsAnError() throws IOException {
        Compilation result = compile(Map.of("com/example/GreeterWorker.java",
                GREETER.replace("@RpcParallelWorker(\"greeter\")", "@RpcParallelWorker(\"not ok\")")));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).containsExactly("@RpcParallelWorker(\"not ok\") on com.example.GreeterWorker is not"
                + " a valid worker type name: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter");
    }

    @Test
    void aPluginWithoutAPublicNoArgumentConstructorIsAnError() throws IOException {
        Compilation result = compile(Map.of("com/example/GreeterWorker.java",
                GREETER.replace("public void defineFunctions", "public GreeterWorker(int x) {}\n    public void defineFunctions")));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).containsExactly("@RpcParallelWorker is on com.example.GreeterWorker, which has no"
                + " public no-argument constructor: ServiceLoader needs one");
    }

    @Test
    void twoClassesWithOneNameAreAnError() throws IOException {
        Compilation result = compile(Map.of("com/example/GreeterWorker.java", GREETER,
                "com/example/math/Plugins.java", ADDER.replace("@RpcParallelWorker(\"adder\")", "@RpcParallelWorker(\"greeter\")")));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).hasSize(1);
        assertThat(result.errors().get(0)).startsWith("@RpcParallelWorker(\"greeter\") is on both ")
                .contains("com.example.GreeterWorker", "com.example.math.Plugins$Adder")
                .endsWith(": a worker type name must be unique");
    }
}
