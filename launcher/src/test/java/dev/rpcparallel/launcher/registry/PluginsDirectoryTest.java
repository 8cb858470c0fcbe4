package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking the jars of a plugins directory one by one; the classes come from this test's class path. */
class PluginsDirectoryTest {
    private static final String SERVICES = "META-INF/services/dev.rpcparallel.spi.WorkerPlugin";

    @TempDir
    Path dir;

    /** A plugin whose constructor throws, registered only in the jars these tests write. */
    public static final class ThrowingPlugin implements WorkerPlugin<Void, Void, Void, Void> {
        public ThrowingPlugin() {
            throw new IllegalStateException("no licence key");
        }

        @Override
        public WorkerType<Void, Void> type() {
            return null;
        }

        @Override
        public Void initWorkerState(Void initArg) {
            return null;
        }

        @Override
        public Void initConnectionState(Void connectionArg, Void workerState) {
            return null;
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {}
    }

    private void jar(String name, Map<String, String> entries) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(UTF_8));
                out.closeEntry();
            }
        }
    }

    @Test
    void reportsEachBrokenJarByNameAndKeepsTheGoodOnes() throws Exception {
        jar("a-good.jar", Map.of(SERVICES, "# a comment\ndev.rpcparallel.launcher.testplugins.Counter\n"));
        jar("b-missing.jar", Map.of(SERVICES, "com.example.Missing\n"));
        jar("c-bad-services.jar", Map.of(SERVICES, "not a class name\n"));
        jar("d-throws.jar", Map.of(SERVICES, ThrowingPlugin.class.getName() + "\n"));
        jar("e-not-a-plugin.jar", Map.of(SERVICES, "java.lang.String\n"));
        Files.writeString(dir.resolve("f-not-a-jar.jar"), "plain text");
        Files.writeString(dir.resolve("notes.txt"), "ignored");

        PluginsDirectory plugins = PluginsDirectory.open(dir, getClass().getClassLoader());

        assertThat(plugins.jars()).containsExactly(dir.resolve("a-good.jar").toAbsolutePath());
        assertThat(plugins.problems()).containsExactly(
                "plugin jar b-missing.jar left out: class com.example.Missing, named in " + SERVICES + ", cannot be loaded:"
                        + " java.lang.ClassNotFoundException: com.example.Missing",
                "plugin jar c-bad-services.jar left out: bad services file " + SERVICES
                        + ", line 1: 'not a class name' is not a class name",
                "plugin jar d-throws.jar left out: the constructor of " + ThrowingPlugin.class.getName()
                        + " threw java.lang.IllegalStateException: no licence key",
                "plugin jar e-not-a-plugin.jar left out: class java.lang.String, named in " + SERVICES
                        + ", does not implement dev.rpcparallel.spi.WorkerPlugin",
                "plugin jar f-not-a-jar.jar left out: cannot read it as a jar: zip END header not found");
        assertThat(plugins.listing()).isEmpty();
    }

    @Test
    void aJarWithABadListingOfItsOwnIsLeftOut() throws Exception {
        jar("a-good.jar", Map.of(SERVICES, "dev.rpcparallel.launcher.testplugins.Counter\n",
                "META-INF/rpc-parallel/workers.list", "counter = dev.rpcparallel.launcher.testplugins.Counter\n"));
        jar("b-bad-listing.jar", Map.of(SERVICES, "dev.rpcparallel.launcher.testplugins.EchoWorker\n",
                "META-INF/rpc-parallel/workers.list", "echo\nnot ok\n"));

        PluginsDirectory plugins = PluginsDirectory.open(dir, getClass().getClassLoader());

        assertThat(plugins.jars()).containsExactly(dir.resolve("a-good.jar").toAbsolutePath());
        assertThat(plugins.problems()).containsExactly("plugin jar b-bad-listing.jar left out: bad worker listing:"
                + " The worker listing META-INF/rpc-parallel/workers.list has an invalid worker type name 'not ok'"
                + " on line 2: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter");
    }

    @Test
    void theDirectorysListingIsItsWorkersListFile() throws Exception {
        Files.writeString(dir.resolve("workers.list"), "counter\n");

        assertThat(PluginsDirectory.open(dir, getClass().getClassLoader()).listing())
                .hasValue(dir.toAbsolutePath().resolve("workers.list"));
    }

    @Test
    void aMissingDirectoryIsRefused() {
        assertThatThrownBy(() -> PluginsDirectory.open(dir.resolve("nope"), getClass().getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the plugins directory " + dir.resolve("nope").toAbsolutePath()
                        + " does not exist or is not a directory");
    }
}
