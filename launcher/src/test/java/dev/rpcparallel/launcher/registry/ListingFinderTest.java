package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RegistryException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several jars' worker listings on one class path: throwaway jars that register this test class
 * path's plugins, loaded through a {@link URLClassLoader} whose parent hides the test class
 * path's own registration files, so only the jars' files count.
 */
class ListingFinderTest {
    private static final String SERVICES = "META-INF/services/dev.rpcparallel.spi.WorkerPlugin";
    private static final String PLUGINS = "dev.rpcparallel.launcher.testplugins.";

    @TempDir
    Path dir;

    /** The test class path's classes, without its META-INF/services and META-INF/rpc-parallel files. */
    private static final ClassLoader CLASSES_ONLY = new ClassLoader(ListingFinderTest.class.getClassLoader()) {
        @Override
        public URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }

        private boolean hidden(String name) {
            return name.startsWith("META-INF/services/dev.rpcparallel.spi.") || name.startsWith("META-INF/rpc-parallel/");
        }
    };

    private Path jar(String name, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A plugin jar with its own services file and listing; {@code listing} in the jar's order. */
    private Path pluginJar(String jarName, String listing, String... pluginClasses) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        StringBuilder services = new StringBuilder();
        for (String pluginClass : pluginClasses) {
            services.append(PLUGINS).append(pluginClass).append('\n');
        }
        entries.put(SERVICES, services.toString());
        entries.put(ListingFinder.JAR_RESOURCE, listing);
        return jar(jarName, entries);
    }

    private static PluginRegistry load(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, CLASSES_ONLY)) {
            return PluginRegistry.load(loader);
        }
    }

    @Test
    void twoJarsWithListingsLoadInOneOrderWhateverTheClassPathOrder() throws IOException {
        // The jar names sort the other way round from the type names; each jar keeps its own order.
        Path first = pluginJar("a-lifecycle-kinds.jar", "# lifecycle before kinds, as this jar says\nlifecycle\nkinds\n",
                "Lifecycle", "KindsWorker");
        Path second = pluginJar("z-echo-counter.jar", "echo = " + PLUGINS + "EchoWorker\ncounter = " + PLUGINS + "Counter\n",
                "EchoWorker", "Counter");

        PluginRegistry forward = load(first, second);
        PluginRegistry backward = load(second, first);

        assertThat(forward.types()).extracting(RegisteredType::name).containsExactly("echo", "counter", "lifecycle", "kinds");
        assertThat(forward.types()).extracting(RegisteredType::id).containsExactly(1, 2, 3, 4);
        assertThat(backward.types()).extracting(RegisteredType::name).containsExactly("echo", "counter", "lifecycle", "kinds");
        assertThat(backward.fingerprint()).isEqualTo(forward.fingerprint());
        assertThat(forward.listing().location()).startsWith("2 jar listings, ordered by their smallest type name: jar:")
                .contains("z-echo-counter.jar!/META-INF/rpc-parallel/workers.list, jar:")
                .endsWith("a-lifecycle-kinds.jar!/META-INF/rpc-parallel/workers.list");
    }

    @Test
    void aThirdJarChangesTheFingerprintSoAPeerWithoutItIsCaught() throws IOException {
        Path echo = pluginJar("echo.jar", "echo\n", "EchoWorker");
        Path counter = pluginJar("counter.jar", "counter\n", "Counter");

        PluginRegistry without = load(echo);
        PluginRegistry with = load(echo, counter);

        assertThat(with.types()).extracting(RegisteredType::name).containsExactly("counter", "echo");
        assertThat(with.fingerprint()).isNotEqualTo(without.fingerprint());
    }

    @Test
    void anApplicationListingPinsEveryTypeAndTheJarsListingsAreIgnored() throws IOException {
        Path first = pluginJar("a.jar", "lifecycle\nkinds\n", "Lifecycle", "KindsWorker");
        Path second = pluginJar("b.jar", "echo\ncounter\n", "EchoWorker", "Counter");
        Path application = jar("application.jar", Map.of(ListingFinder.APPLICATION_RESOURCE, "kinds\ncounter\nlifecycle\necho\n"));

        PluginRegistry registry = load(second, application, first);

        assertThat(registry.types()).extracting(RegisteredType::name).containsExactly("kinds", "counter", "lifecycle", "echo");
        assertThat(registry.listing().location()).endsWith("application.jar!/" + ListingFinder.APPLICATION_RESOURCE);
    }

    @Test
    void anApplicationListingMustNameEveryType() throws IOException {
        Path first = pluginJar("a.jar", "lifecycle\nkinds\n", "Lifecycle", "KindsWorker");
        Path application = jar("application.jar", Map.of(ListingFinder.APPLICATION_RESOURCE, "kinds\n"));

        assertThatThrownBy(() -> load(first, application))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("Worker plugin 'lifecycle' (" + PLUGINS + "Lifecycle, from ")
                .hasMessageContaining("is not in the worker listing jar:")
                .hasMessageContaining("application.jar!/" + ListingFinder.APPLICATION_RESOURCE + ". Add a line 'lifecycle'");
    }

    @Test
    void twoApplicationListingsAreAnError() throws IOException {
        Path one = jar("one.jar", Map.of(ListingFinder.APPLICATION_RESOURCE, "echo\n"));
        Path two = jar("two.jar", Map.of(ListingFinder.APPLICATION_RESOURCE, "echo\n"));

        assertThatThrownBy(() -> load(one, two))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("Found 2 application worker listings (" + ListingFinder.APPLICATION_RESOURCE
                        + ") on the class path: [jar:")
                .hasMessageContaining("one.jar!/").hasMessageContaining("two.jar!/");
    }

    @Test
    void aTypeListedByTwoJarsIsAnErrorNamingBothJars() throws IOException {
        Path echo = pluginJar("echo.jar", "echo\n", "EchoWorker");
        Path copy = jar("echo-copy.jar", Map.of(ListingFinder.JAR_RESOURCE, "counter\necho\n"));
        URL echoListing = new URL("jar:" + echo.toUri().toURL() + "!/" + ListingFinder.JAR_RESOURCE);
        URL copyListing = new URL("jar:" + copy.toUri().toURL() + "!/" + ListingFinder.JAR_RESOURCE);

        for (Path[] order : List.of(new Path[] {echo, copy}, new Path[] {copy, echo})) {
            assertThatThrownBy(() -> load(order))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage("The worker type 'echo' is listed by two jars: " + copyListing + " and " + echoListing
                            + ". A type belongs to the one jar that provides it: remove one of the jars, or pin every"
                            + " type in an application listing (META-INF/rpc-parallel/application.list, or"
                            + " -Drpcparallel.workers=FILE).");
        }
    }

    @Test
    void aListedPluginClassWhoseTypeHasAnotherNameIsAnErrorNamingBoth() throws IOException {
        Path jar = pluginJar("counter.jar", "tally = " + PLUGINS + "Counter\n", "Counter");

        assertThatThrownBy(() -> load(jar))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("Worker plugin " + PLUGINS + "Counter (from ")
                .hasMessageContaining(") returns the type 'counter' from type(), but the worker listing jar:")
                .hasMessageEndingWith("counter.jar!/META-INF/rpc-parallel/workers.list lists it as 'tally'. Make the"
                        + " two names the same: the name in @RpcParallelWorker(\"...\") (or the listing line) and the"
                        + " name of the WorkerType that type() returns.");
    }

    @Test
    void combiningDoesNotDependOnTheOrderOfTheListings() {
        WorkerListing a = WorkerListing.parse("a", "zeta\nalpha\n");
        WorkerListing b = WorkerListing.parse("b", "beta\n");
        WorkerListing empty = WorkerListing.parse("empty", "# nothing\n");

        assertThat(ListingFinder.combine(List.of(a, b, empty)).names()).containsExactly("zeta", "alpha", "beta");
        assertThat(ListingFinder.combine(List.of(empty, b, a)).names()).containsExactly("zeta", "alpha", "beta");
        assertThat(ListingFinder.combine(List.of(empty, b, a)).location())
                .isEqualTo("2 jar listings, ordered by their smallest type name: a, b");
    }

    /** A class path that counts the lookups of its resources: each one opens every jar on a real class path. */
    private static final class CountingLoader extends URLClassLoader {
        private int lookups;

        CountingLoader(Path... jars) throws IOException {
            super(urls(jars), CLASSES_ONLY);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            lookups++;
            return super.getResources(name);
        }

        private static URL[] urls(Path... jars) throws IOException {
            URL[] urls = new URL[jars.length];
            for (int i = 0; i < jars.length; i++) {
                urls[i] = jars[i].toUri().toURL();
            }
            return urls;
        }
    }

    @Test
    void aListingReadFromItsMastersSourcesIsTheListingFoundWithoutLookingForIt() throws IOException {
        Path first = pluginJar("a-lifecycle-kinds.jar", "lifecycle\nkinds\n", "Lifecycle", "KindsWorker");
        Path second = pluginJar("z-echo-counter.jar", "echo\ncounter\n", "EchoWorker", "Counter");
        Path application = jar("application.jar", Map.of(ListingFinder.APPLICATION_RESOURCE, "kinds\necho\n"));

        for (Path[] classPath : List.of(new Path[] {first, second}, new Path[] {second, application, first})) {
            try (CountingLoader master = new CountingLoader(classPath); CountingLoader worker = new CountingLoader(classPath)) {
                WorkerListing found = ListingFinder.find(master);
                assertThat(master.lookups).isPositive();
                assertThat(found.sources()).allMatch(source -> source.startsWith("jar:file:"))
                        .hasSize(classPath.length == 2 ? 2 : 1);

                WorkerListing read = ListingFinder.read(worker, found.sources());

                assertThat(worker.lookups).as("class path lookups of the worker told its master's sources").isZero();
                assertThat(read.entries()).isEqualTo(found.entries());
                assertThat(read.location()).isEqualTo(found.location());
                assertThat(read.sources()).isEqualTo(found.sources());
            }
        }
    }

    @Test
    void aWorkerToldNoSourcesLooksAndASourceThatCannotBeReadIsAnErrorNamingIt() throws IOException {
        Path echo = pluginJar("echo.jar", "echo\n", "EchoWorker");
        try (CountingLoader worker = new CountingLoader(echo)) {
            assertThat(ListingFinder.read(worker, List.of()).names()).containsExactly("echo");
            assertThat(worker.lookups).isPositive();

            String gone = "jar:" + dir.resolve("gone.jar").toUri() + "!/" + ListingFinder.JAR_RESOURCE;
            assertThatThrownBy(() -> ListingFinder.read(worker, List.of(gone)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("Cannot read the worker listing " + gone + ": ");
        }
    }
}
