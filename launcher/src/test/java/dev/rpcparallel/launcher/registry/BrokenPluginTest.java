package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RegistryException;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.launcher.testplugins.Counter;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.WorkerPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that throw in their constructor, {@code type()} or {@code defineFunctions}, in jars
 * written by the test: the error names the plugin, its class, its jar and the exception; a
 * plugins directory leaves such a jar out and keeps the others.
 */
class BrokenPluginTest {
    private static final String SERVICES = "META-INF/services/" + WorkerPlugin.class.getName();
    private static final String LISTING = "META-INF/rpc-parallel/workers.list";

    @TempDir
    Path dir;

    public static final class ThrowsInConstructor extends Plugin {
        public ThrowsInConstructor() {
            super("ctor-throws");
            throw new IllegalStateException("no licence key");
        }
    }

    public static final class ThrowsInDefineFunctions extends Plugin {
        public ThrowsInDefineFunctions() {
            super("define-throws");
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {
            functions.rpc(RpcFunction.of("fine", Codecs.none(), Codecs.none()), (call, none) -> null);
            throw new IllegalArgumentException("model file missing", new IOException("/models/latest"));
        }
    }

    public static final class ThrowsInType extends Plugin {
        public ThrowsInType() {
            super("type-throws");
        }

        @Override
        public WorkerType<Void, Void> type() {
            throw new UnsupportedOperationException("not configured");
        }
    }

    /** A stateless plugin of a given type name that defines no function. */
    public abstract static class Plugin implements WorkerPlugin<Void, Void, Void, Void> {
        private final WorkerType<Void, Void> type;

        Plugin(String name) {
            this.type = WorkerType.of(name, Codecs.none(), Codecs.none());
        }

        @Override
        public WorkerType<Void, Void> type() {
            return type;
        }

        @Override
        public void defineFunctions(FunctionTable<Void, Void> functions) {}
    }

    @Test
    void aConstructorThatThrowsIsNamedWithItsClassItsJarAndTheException() throws IOException {
        Path jar = pluginJar("licensed.jar", ThrowsInConstructor.class, "ctor-throws\n");
        try (URLClassLoader loader = new JarFirstLoader(jar, ThrowsInConstructor.class)) {
            assertThatThrownBy(() -> PluginRegistry.load(loader))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessage("Cannot load the worker plugins:\n  - worker plugin " + ThrowsInConstructor.class.getName()
                            + " (from licensed.jar): its constructor threw java.lang.IllegalStateException: no licence"
                            + " key; fix the plugin, or remove its jar");
        }
    }

    @Test
    void aDefineFunctionsThatThrowsIsNamedWithThePluginItsClassItsJarAndTheException() throws IOException {
        Path jar = pluginJar("models.jar", ThrowsInDefineFunctions.class, "define-throws\n");
        try (URLClassLoader loader = new JarFirstLoader(jar, ThrowsInDefineFunctions.class)) {
            assertThatThrownBy(() -> PluginRegistry.load(loader))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessage("Worker plugin 'define-throws' (" + ThrowsInDefineFunctions.class.getName()
                            + ", from models.jar) threw in defineFunctions: java.lang.IllegalArgumentException: model"
                            + " file missing, caused by java.io.IOException: /models/latest; fix the plugin, or remove"
                            + " its jar")
                    .hasCauseExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aTypeThatThrowsIsNamedWithItsClassItsJarAndTheException() throws IOException {
        Path jar = pluginJar("typeless.jar", ThrowsInType.class, "type-throws\n");
        try (URLClassLoader loader = new JarFirstLoader(jar, ThrowsInType.class)) {
            assertThatThrownBy(() -> PluginRegistry.load(loader))
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessage("Cannot load the worker plugins:\n  - worker plugin " + ThrowsInType.class.getName()
                            + " (from typeless.jar): its type() threw java.lang.UnsupportedOperationException: not"
                            + " configured; fix the plugin, or remove its jar");
        }
    }

    @Test
    void aPluginsDirectoryLeavesOutTheJarsOfThrowingPluginsAndLoadsTheOthers() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        jar(plugins.resolve("a-counter.jar"), Map.of(SERVICES, Counter.class.getName() + "\n"));
        jar(plugins.resolve("b-licensed.jar"), Map.of(SERVICES, ThrowsInConstructor.class.getName() + "\n"));
        jar(plugins.resolve("c-models.jar"), Map.of(SERVICES, ThrowsInDefineFunctions.class.getName() + "\n"));
        jar(plugins.resolve("d-typeless.jar"), Map.of(SERVICES, ThrowsInType.class.getName() + "\n"));

        PluginsDirectory directory = PluginsDirectory.open(plugins, getClass().getClassLoader());

        assertThat(directory.jars()).containsExactly(plugins.resolve("a-counter.jar").toAbsolutePath());
        assertThat(directory.problems()).containsExactly(
                "plugin jar b-licensed.jar left out: the constructor of " + ThrowsInConstructor.class.getName()
                        + " threw java.lang.IllegalStateException: no licence key",
                "plugin jar c-models.jar left out: Worker plugin 'define-throws' ("
                        + ThrowsInDefineFunctions.class.getName() + ", from c-models.jar) threw in defineFunctions:"
                        + " java.lang.IllegalArgumentException: model file missing, caused by java.io.IOException:"
                        + " /models/latest; fix the plugin, or remove its jar",
                "plugin jar d-typeless.jar left out: worker plugin " + ThrowsInType.class.getName()
                        + " (from d-typeless.jar): its type() threw java.lang.UnsupportedOperationException: not"
                        + " configured; fix the plugin, or remove its jar");
    }

    /** A jar holding the plugin's class (and its base class), its services file and a listing. */
    private Path pluginJar(String name, Class<?> plugin, String listing) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put(SERVICES, plugin.getName() + "\n");
        entries.put(LISTING, listing);
        for (Class<?> type : new Class<?>[] {plugin, Plugin.class}) {
            String resource = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                entries.put(resource, in.readAllBytes());
            }
        }
        Path jar = dir.resolve(name);
        jar(jar, entries);
        return jar;
    }

    private static void jar(Path path, Map<String, ?> entries) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path))) {
            for (Map.Entry<String, ?> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue() instanceof byte[] bytes ? bytes : entry.getValue().toString().getBytes(UTF_8));
                out.closeEntry();
            }
        }
    }

    /**
     * Loads the plugin classes from the jar (not from the test's class path, which holds them
     * too), and {@code META-INF} resources from the jar only; everything else from the test's loader.
     */
    private static final class JarFirstLoader extends URLClassLoader {
        private final Set<String> fromJar;

        JarFirstLoader(Path jar, Class<?> plugin) throws IOException {
            super(new URL[] {jar.toUri().toURL()}, BrokenPluginTest.class.getClassLoader());
            this.fromJar = Set.of(plugin.getName(), Plugin.class.getName());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!fromJar.contains(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/") ? findResources(name) : super.getResources(name);
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("META-INF/") ? findResource(name) : super.getResource(name);
        }
    }
}
