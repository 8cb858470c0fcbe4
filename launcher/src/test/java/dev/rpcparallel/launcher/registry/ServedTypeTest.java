package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RegistryException;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.testplugins.Counter;
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

/**
 * A worker's served type loaded alone: taken when it and the listing agree with the master's
 * registry, refused (so that the whole registry loads and reports) when they do not, and the other
 * plugins never made: a plugin whose constructor throws stays unnoticed by a worker of another type.
 */
class ServedTypeTest {
    private static final String LISTING = "counter\nthrowing\necho = " + EchoWorker.class.getName() + "\n";

    @Test
    void aTypeThatAgreesIsLoadedAloneWithTheMastersFingerprint(@TempDir Path dir) throws IOException {
        PluginRegistry master = masterRegistry(LISTING, new Counter());
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            ServedType echo = ServedType.agreeing(loader, "echo", master.fingerprint(), master.description())
                    .orElseThrow();
            assertThat(echo.type().id()).isEqualTo(3);
            assertThat(echo.type().name()).isEqualTo("echo");
            assertThat(echo.type().plugin()).isInstanceOf(EchoWorker.class);
            assertThat(echo.type().functions()).extracting(RegisteredFunction::name)
                    .isEqualTo(master.require("echo").functions().stream().map(RegisteredFunction::name).toList());
            assertThat(echo.fingerprint()).isEqualTo(master.fingerprint());
            assertThat(echo.description()).isEqualTo(master.description());

            // No plugin class in the listing's line: the providers are made in order until one has the name.
            ServedType counter = ServedType.agreeing(loader, "counter", master.fingerprint(), master.description())
                    .orElseThrow();
            assertThat(counter.type().id()).isEqualTo(1);

            // The whole registry of the same class path makes every plugin, the throwing one too.
            assertThatThrownBy(() -> PluginRegistry.load(loader))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("broken on purpose");
        }
    }

    @Test
    void aServedTypeWhoseFunctionsDifferIsRefusedWhileAnotherTypeMayDiffer(@TempDir Path dir) throws IOException {
        PluginRegistry master = masterRegistry(LISTING, new PluginRegistryTest.CounterWithOtherResult());
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            assertThat(ServedType.agreeing(loader, "counter", master.fingerprint(), master.description())).isEmpty();
            assertThat(ServedType.agreeing(loader, "echo", master.fingerprint(), master.description())).isPresent();
        }
    }

    @Test
    void anotherListingOrAnUnknownTypeIsRefused(@TempDir Path dir) throws IOException {
        String reordered = "throwing\ncounter\necho = " + EchoWorker.class.getName() + "\n";
        PluginRegistry master = masterRegistry(reordered, new Counter());
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            assertThat(ServedType.agreeing(loader, "echo", master.fingerprint(), master.description())).isEmpty();
        }
        PluginRegistry same = masterRegistry(LISTING, new Counter());
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            assertThat(ServedType.agreeing(loader, "nope", same.fingerprint(), same.description())).isEmpty();
        }
    }

    @Test
    void aListedClassWithAnotherTypeNameIsRefused(@TempDir Path dir) throws IOException {
        String listing = "counter\nthrowing\necho = " + Counter.class.getName() + "\n";
        PluginRegistry master = masterRegistry(LISTING, new Counter());
        try (URLClassLoader loader = workerClassPath(dir, listing)) {
            assertThat(ServedType.agreeing(loader, "echo", master.fingerprint(), master.description())).isEmpty();
        }
    }

    /** The master's registry: the listing's types, with a harmless stand-in for the throwing plugin. */
    private static PluginRegistry masterRegistry(String listing, WorkerPlugin<?, ?, ?, ?> counter) {
        return PluginRegistry.build(WorkerListing.parse("master", listing), List.of(discovered(counter),
                discovered(new HarmlessThrowing()), discovered(new EchoWorker())));
    }

    /** A class path whose plugins are a counter, one whose constructor throws, and echo. */
    private static URLClassLoader workerClassPath(Path dir, String listing) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(WorkerPlugin.class.getName()), Counter.class.getName() + "\n"
                + PluginRegistryTest.ThrowingPlugin.class.getName() + "\n" + EchoWorker.class.getName() + "\n", UTF_8);
        Path listings = Files.createDirectories(dir.resolve("META-INF/rpc-parallel"));
        Files.writeString(listings.resolve("application.list"), listing, UTF_8);
        return new IsolatedLoader(dir.toUri().toURL(), ServedTypeTest.class.getClassLoader());
    }

    @SuppressWarnings("unchecked")
    private static PluginRegistry.Discovered discovered(WorkerPlugin<?, ?, ?, ?> plugin) {
        return new PluginRegistry.Discovered((WorkerPlugin<Object, Object, Object, Object>) plugin, "test.jar");
    }

    /** The throwing plugin's type, made without throwing, as the master's class path has it. */
    static final class HarmlessThrowing extends PluginRegistryTest.StatelessPlugin {
        HarmlessThrowing() {
            super(WorkerType.of("throwing", Codecs.none(), Codecs.none()));
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {}
    }
}
