package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RegistryException;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.testplugins.Counter;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.EchoWorker;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @SuppressWarnings("unchecked")
    private static PluginRegistry.Discovered discovered(WorkerPlugin<?, ?, ?, ?> plugin, String source) {
        return new PluginRegistry.Discovered((WorkerPlugin<Object, Object, Object, Object>) plugin, source);
    }

    private static final PluginRegistry.Discovered ECHO = discovered(new EchoWorker(), "echo.jar");
    private static final PluginRegistry.Discovered COUNTER = discovered(new Counter(), "counter.jar");

    @Test
    void listingPinsTheOrderWhateverTheDiscoveryOrder() {
        WorkerListing listing = WorkerListing.parse("test", "counter\necho\n");
        PluginRegistry one = PluginRegistry.build(listing, List.of(ECHO, COUNTER));
        PluginRegistry other = PluginRegistry.build(listing, List.of(COUNTER, ECHO));
        assertThat(one.types()).extracting(RegisteredType::name).containsExactly("counter", "echo");
        assertThat(one.types()).extracting(RegisteredType::id).containsExactly(1, 2);
        assertThat(one.fingerprint()).isEqualTo(other.fingerprint());
        assertThat(one.description()).isEqualTo(other.description());
    }

    @Test
    void aMismatchReportShowsEveryTypeButOnlyTheFunctionsThatDiffer() {
        String master = "1 echo init(string) connect(string)\n  1 rpc echo(string) -> string\n"
                + "2 counter init(void) connect(void)\n  1 rpc next(void) -> i64\n";
        String worker = "1 counter init(void) connect(void)\n  1 rpc next(void) -> i64\n"
                + "2 echo init(string) connect(string)\n  1 rpc echo(string) -> string\n  2 rpc extra(void) -> void\n";

        assertThat(RegistryMismatch.describeAgainst(worker, master)).isEqualTo(
                "1 counter init(void) connect(void) (1 function, the same in both)\n"
                        + "2 echo init(string) connect(string)\n  1 rpc echo(string) -> string\n"
                        + "  2 rpc extra(void) -> void\n");
        assertThat(RegistryMismatch.describeAgainst(master, worker)).isEqualTo(
                "1 echo init(string) connect(string)\n  1 rpc echo(string) -> string\n"
                        + "2 counter init(void) connect(void) (1 function, the same in both)\n");
        assertThat(RegistryMismatch.describeAgainst(master, "")).isEqualTo(master);
    }

    @Test
    void functionsAreNumberedInDeclarationOrder() {
        PluginRegistry registry = PluginRegistry.build(WorkerListing.parse("test", "echo\ncounter\n"), List.of(ECHO, COUNTER));
        RegisteredType echo = registry.require("echo");
        assertThat(echo.functions()).extracting(RegisteredFunction::name)
                .startsWith("echo", "increment", "connectionLabel", "fail");
        assertThat(echo.function(Echo.INCREMENT).orElseThrow().id()).isEqualTo(2);
        assertThat(echo.function(1).orElseThrow().name()).isEqualTo("echo");
        assertThat(echo.function(0)).isEmpty();
        assertThat(echo.function(99)).isEmpty();
        assertThat(registry.description()).contains("1 echo init(string) connect(string)", "  2 rpc increment(i64) -> i64");
    }

    @Test
    void anotherOrderOrSignatureChangesTheFingerprint() {
        PluginRegistry base = PluginRegistry.build(WorkerListing.parse("t", "echo\ncounter\n"), List.of(ECHO, COUNTER));
        PluginRegistry reordered = PluginRegistry.build(WorkerListing.parse("t", "counter\necho\n"), List.of(ECHO, COUNTER));
        PluginRegistry changed = PluginRegistry.build(WorkerListing.parse("t", "echo\ncounter\n"),
                List.of(ECHO, discovered(new CounterWithOtherResult(), "counter2.jar")));
        assertThat(reordered.fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(changed.fingerprint()).isNotEqualTo(base.fingerprint());
    }

    @Test
    void handleWithTheSameNameButAnotherSignatureIsNotMatched() {
        PluginRegistry registry = PluginRegistry.build(WorkerListing.parse("t", "counter\n"), List.of(COUNTER));
        RpcFunction<Void, String> impostor = RpcFunction.of("next", Codecs.none(), Codecs.string());
        assertThat(registry.require("counter").function(impostor)).isEmpty();
        assertThat(registry.require("counter").function(Counter.NEXT)).isPresent();
    }

    @Test
    void pluginFoundButNotListedNamesPluginJarAndFix() {
        assertThatThrownBy(() -> PluginRegistry.build(WorkerListing.parse("app/workers.list", "echo\n"), List.of(ECHO, COUNTER)))
                .isInstanceOf(RegistryException.class)
                .hasMessage("Worker plugin 'counter' (dev.rpcparallel.launcher.testplugins.Counter, from counter.jar)"
                        + " is not in the worker listing app/workers.list. Add a line 'counter' to it; put new types at"
                        + " the end, so that the ids of the others do not change.");
    }

    @Test
    void pluginWithoutAnyListingSaysHowToCreateOne() {
        assertThatThrownBy(() -> PluginRegistry.build(WorkerListing.none(), List.of(ECHO)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("is not in a worker listing: none was found (annotate the plugin class with"
                        + " @RpcParallelWorker and compile it with rpc-parallel-processor, or create"
                        + " META-INF/rpc-parallel/workers.list in its jar, or pass -Drpcparallel.workers=FILE)");
    }

    @Test
    void listedButNotFoundNamesTheListingAndFix() {
        assertThatThrownBy(() -> PluginRegistry.build(WorkerListing.parse("app/workers.list", "echo\nprimes\n"), List.of(ECHO)))
                .isInstanceOf(RegistryException.class)
                .hasMessage("The worker listing app/workers.list names 'primes', but no WorkerPlugin of that type was"
                        + " found on the class path. Add the jar that provides it (its"
                        + " META-INF/services/dev.rpcparallel.spi.WorkerPlugin must name the plugin class), or remove the line.");
    }

    @Test
    void twoPluginsWithOneNameNameBothJars() {
        assertThatThrownBy(() -> PluginRegistry.build(WorkerListing.parse("t", "counter\n"),
                        List.of(COUNTER, discovered(new CounterWithOtherResult(), "other-counter.jar"))))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Two worker plugins are named 'counter'")
                .hasMessageContaining("(from counter.jar)")
                .hasMessageContaining("(from other-counter.jar)");
    }

    @Test
    void functionDeclaredTwiceIsAnError() {
        assertThatThrownBy(() -> PluginRegistry.build(WorkerListing.parse("t", "twice\n"),
                        List.of(discovered(new DeclaresTwice(), "twice.jar"))))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("declares the function 'f' twice");
    }

    @Test
    void discoveryReportsAProviderThatCannotBeCreatedByName(@TempDir Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(WorkerPlugin.class.getName()),
                Counter.class.getName() + "\n" + ThrowingPlugin.class.getName() + "\ncom.example.Missing\n", UTF_8);
        try (URLClassLoader loader = new IsolatedLoader(dir.toUri().toURL(), getClass().getClassLoader())) {
            assertThatThrownBy(() -> PluginRegistry.discover(loader))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Cannot load the worker plugins")
                    .hasMessageContaining(ThrowingPlugin.class.getName())
                    .hasMessageContaining("broken on purpose")
                    .hasMessageContaining("com.example.Missing not found");
        }
    }

    @Test
    void discoveryFindsTheProvidersOfItsClassLoaderOnly(@TempDir Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(WorkerPlugin.class.getName()), Counter.class.getName() + "\n", UTF_8);
        try (URLClassLoader loader = new IsolatedLoader(dir.toUri().toURL(), getClass().getClassLoader())) {
            assertThat(PluginRegistry.discover(loader)).extracting(d -> d.plugin().type().name()).containsExactly("counter");
        }
    }

    @Test
    void fingerprintIsTheStartOfTheSha256OfTheDescription() {
        // FIPS 180-2's test vector: SHA-256("abc") = ba7816bf 8f01cfea 414140de ...
        assertThat(PluginRegistry.fingerprintOf("abc")).isEqualTo("ba7816bf8f01cfea");
        assertThat(PluginRegistry.fingerprintOf("")).isEqualTo("e3b0c44298fc1c14");
    }

    /** A stateless plugin of a given type; subclasses declare the functions. */
    abstract static class StatelessPlugin implements WorkerPlugin<Void, Void, Void, Void> {
        private final WorkerType<Void, Void> type;

        StatelessPlugin(WorkerType<Void, Void> type) {
            this.type = type;
        }

        @Override
        public WorkerType<Void, Void> type() {
            return type;
        }
    }

    public static final class ThrowingPlugin extends StatelessPlugin {
        public ThrowingPlugin() {
            super(WorkerType.of("throwing", Codecs.none(), Codecs.none()));
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {}
    }

    public static final class CounterWithOtherResult extends StatelessPlugin {
        public CounterWithOtherResult() {
            super(Counter.TYPE);
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {
            functions.rpc(RpcFunction.of("next", Codecs.none(), Codecs.string()), (call, none) -> "x");
        }
    }

    public static final class DeclaresTwice extends StatelessPlugin {
        public DeclaresTwice() {
            super(WorkerType.of("twice", Codecs.none(), Codecs.none()));
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {
            RpcFunction<Void, Void> f = RpcFunction.of("f", Codecs.none(), Codecs.none());
            functions.rpc(f, (call, none) -> null).rpc(f, (call, none) -> null);
        }
    }
}
