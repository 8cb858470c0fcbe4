package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Codecs;
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
 * A worker's served type made from the plugin class its master named: made when the class, its
 * position and the listing agree with the master's registry, and otherwise not made, with a
 * reason that names what was wrong.
 */
class MastersPluginTest {
    private static final String LISTING = "counter\nother\necho = " + EchoWorker.class.getName() + "\n";

    @Test
    void aNamedPluginThatAgreesIsMadeWithoutAnyServiceFile(@TempDir Path dir) throws IOException {
        PluginRegistry master = masterRegistry(new Counter());
        // The worker's class path lists its types but declares no plugin service at all: only a
        // class named by the master can be found there.
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            MastersPlugin.Made echo = MastersPlugin.make(loader, "echo", EchoWorker.class.getName(), 3,
                    master.fingerprint(), master.description());
            assertThat(echo.whyNot()).isEmpty();
            assertThat(echo.served().type().id()).isEqualTo(3);
            assertThat(echo.served().type().plugin()).isInstanceOf(EchoWorker.class);
            assertThat(echo.served().fingerprint()).isEqualTo(master.fingerprint());
            assertThat(echo.served().description()).isEqualTo(master.description());

            MastersPlugin.Made counter = MastersPlugin.make(loader, "counter", Counter.class.getName(), 1,
                    master.fingerprint(), master.description());
            assertThat(counter.served().type().id()).isEqualTo(1);

            // The lookup the named class replaces finds nothing on this class path.
            assertThat(ServedType.agreeing(loader, "echo", master.fingerprint(), master.description())).isEmpty();
        }
    }

    @Test
    void whatTheMasterNamedWronglyIsNotMadeAndTheReasonSaysWhy(@TempDir Path dir) throws IOException {
        PluginRegistry master = masterRegistry(new Counter());
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            assertThat(whyNot(loader, master, "echo", EchoWorker.class.getName(), 2))
                    .isEqualTo("its worker listing has 'echo' at position 3, its master named position 2");
            assertThat(whyNot(loader, master, "nope", EchoWorker.class.getName(), 2))
                    .isEqualTo("its worker listing has 'nope' at no position, its master named position 2");
            assertThat(whyNot(loader, master, "echo", Counter.class.getName(), 3))
                    .isEqualTo("its worker listing names " + EchoWorker.class.getName() + " for 'echo'");
            assertThat(whyNot(loader, master, "counter", "com.example.Gone", 1))
                    .isEqualTo("com.example.Gone cannot be made here: java.lang.ClassNotFoundException: com.example.Gone");
            assertThat(whyNot(loader, master, "counter", String.class.getName(), 1))
                    .isEqualTo("java.lang.String is not a " + WorkerPlugin.class.getName());
            assertThat(whyNot(loader, master, "counter", EchoWorker.class.getName(), 1))
                    .isEqualTo(EchoWorker.class.getName() + " provides 'echo', not 'counter'");
        }
    }

    @Test
    void aNamedPluginWhoseFunctionsOrListingDifferFromTheMastersIsNotMade(@TempDir Path dir) throws IOException {
        PluginRegistry otherResult = masterRegistry(new PluginRegistryTest.CounterWithOtherResult());
        try (URLClassLoader loader = workerClassPath(dir, LISTING)) {
            assertThat(whyNot(loader, otherResult, "counter", Counter.class.getName(), 1))
                    .isEqualTo("the functions of 'counter' here differ from its master's");
        }
        PluginRegistry master = masterRegistry(new Counter());
        try (URLClassLoader loader = workerClassPath(dir.resolve("reordered"), "other\ncounter\necho\n")) {
            assertThat(whyNot(loader, master, "echo", EchoWorker.class.getName(), 3))
                    .startsWith("its worker listing (").endsWith(") is not its master's");
        }
    }

    private static String whyNot(ClassLoader loader, PluginRegistry master, String type, String pluginClass, int id) {
        MastersPlugin.Made made = MastersPlugin.make(loader, type, pluginClass, id, master.fingerprint(),
                master.description());
        assertThat(made.served()).isNull();
        return made.whyNot();
    }

    private static PluginRegistry masterRegistry(WorkerPlugin<?, ?, ?, ?> counter) {
        return PluginRegistry.build(WorkerListing.parse("master", LISTING), List.of(discovered(counter),
                discovered(new Other()), discovered(new EchoWorker())));
    }

    /** A class path with an application listing and no plugin service file. */
    private static URLClassLoader workerClassPath(Path dir, String listing) throws IOException {
        Path listings = Files.createDirectories(dir.resolve("META-INF/rpc-parallel"));
        Files.writeString(listings.resolve("application.list"), listing, UTF_8);
        return new IsolatedLoader(dir.toUri().toURL(), MastersPluginTest.class.getClassLoader());
    }

    @SuppressWarnings("unchecked")
    private static PluginRegistry.Discovered discovered(WorkerPlugin<?, ?, ?, ?> plugin) {
        return new PluginRegistry.Discovered((WorkerPlugin<Object, Object, Object, Object>) plugin, "test.jar");
    }

    static final class Other extends PluginRegistryTest.StatelessPlugin {
        Other() {
            super(WorkerType.of("other", Codecs.none(), Codecs.none()));
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {}
    }
}
