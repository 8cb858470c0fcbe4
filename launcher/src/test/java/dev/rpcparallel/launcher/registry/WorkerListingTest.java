package dev.rpcparallel.launcher.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RegistryException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerListingTest {

    @Test
    void parsesNamesInOrderIgnoringCommentsAndBlankLines() {
        WorkerListing listing = WorkerListing.parse("test", "# header\n\nprimes\n  tour   # the tour\r\nword-count\n");
        assertThat(listing.names()).containsExactly("primes", "tour", "word-count");
        assertThat(listing.isPresent()).isTrue();
    }

    @Test
    void duplicateNameIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> WorkerListing.parse("my.list", "a\nb\na\n"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("The worker listing my.list names 'a' twice (again on line 3): remove the second line");
    }

    @Test
    void invalidNameIsAnError() {
        assertThatThrownBy(() -> WorkerListing.parse("my.list", "ok\nnot ok\n"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("invalid worker type name 'not ok' on line 2");
    }

    @Test
    void aLineMayNameThePluginClass() {
        WorkerListing listing = WorkerListing.parse("test", "primes = com.example.PrimesWorker\nadder=com.example.Plugins$Adder\ntour\n");
        assertThat(listing.names()).containsExactly("primes", "adder", "tour");
        assertThat(listing.entries()).extracting(WorkerListing.Entry::pluginClass)
                .containsExactly("com.example.PrimesWorker", "com.example.Plugins$Adder", null);
    }

    @Test
    void invalidPluginClassIsAnError() {
        assertThatThrownBy(() -> WorkerListing.parse("my.list", "ok = com.example.Not A Class\n"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("The worker listing my.list has an invalid plugin class name 'com.example.Not A Class' after"
                        + " 'ok =' on line 1: write the binary name of the WorkerPlugin class, or only the type name");
    }

    @Test
    void findsTheClassPathResource() {
        WorkerListing listing = WorkerListing.find(getClass().getClassLoader());
        // The test plugins' listing, written by the annotation processor in the order of the names.
        assertThat(listing.names()).isSorted().contains("counter", "echo", "kinds", "lifecycle");
        assertThat(listing.entries()).filteredOn(entry -> entry.name().equals("counter"))
                .singleElement().satisfies(entry -> assertThat(entry.pluginClass())
                        .isEqualTo("dev.rpcparallel.launcher.testplugins.Counter"));
        assertThat(listing.location()).endsWith(WorkerListing.RESOURCE);
    }

    @Test
    void twoApplicationListingsOnTheClassPathFailNamingBoth(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectories(dir.resolve("first").resolve(ListingFinder.APPLICATION_RESOURCE).getParent());
        Path second = Files.createDirectories(dir.resolve("second").resolve(ListingFinder.APPLICATION_RESOURCE).getParent());
        Files.writeString(first.resolve("application.list"), "echo\n");
        Files.writeString(second.resolve("application.list"), "counter\n");
        try (URLClassLoader twoListings = new URLClassLoader(new URL[] {
                dir.resolve("first").toUri().toURL(), dir.resolve("second").toUri().toURL()}, null)) {
            assertThatThrownBy(() -> WorkerListing.find(twoListings))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Found 2 application worker listings (" + ListingFinder.APPLICATION_RESOURCE
                            + ") on the class path")
                    .hasMessageContaining(dir.resolve("first").resolve(ListingFinder.APPLICATION_RESOURCE).toString())
                    .hasMessageContaining(dir.resolve("second").resolve(ListingFinder.APPLICATION_RESOURCE).toString())
                    .hasMessageContaining("keep one");
        }
    }

    @Test
    void systemPropertyOverridesTheClassPath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("w.list"), "counter\necho\n");
        System.setProperty(WorkerListing.PROPERTY, file.toString());
        try {
            WorkerListing listing = WorkerListing.find(getClass().getClassLoader());
            assertThat(listing.names()).containsExactly("counter", "echo");
            assertThat(listing.location()).isEqualTo(file.toAbsolutePath().toString());
        } finally {
            System.clearProperty(WorkerListing.PROPERTY);
        }
    }

    @Test
    void missingFileNamedByThePropertyIsAClearError(@TempDir Path dir) {
        System.setProperty(WorkerListing.PROPERTY, dir.resolve("absent.list").toString());
        try {
            assertThatThrownBy(() -> WorkerListing.find(getClass().getClassLoader()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Cannot read the worker listing")
                    .hasMessageContaining("absent.list named by -Drpcparallel.workers");
        } finally {
            System.clearProperty(WorkerListing.PROPERTY);
        }
    }
}
