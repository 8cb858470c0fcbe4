package dev.rpcparallel.launcher.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which worker listing a process with a plugins directory uses: {@code DIR/workers.list} over the
 * listings inside the jars, {@code -Drpcparallel.workers} over both, and without the directory's
 * file exactly one jar with a listing. The jars hold listings only; their parent loader (the
 * platform's) holds none, so the listings seen are the directory's alone.
 */
class PluginsDirectoryListingTest {
    private static final ClassLoader NO_LISTING = ClassLoader.getPlatformClassLoader();

    @TempDir
    Path dir;

    private String savedListing;
    private String savedPlugins;

    @BeforeEach
    void saveProperties() {
        savedListing = System.getProperty(WorkerListing.PROPERTY);
        savedPlugins = System.getProperty(PluginsDirectory.PROPERTY);
        System.clearProperty(WorkerListing.PROPERTY);
    }

    @AfterEach
    void restoreProperties() {
        restore(WorkerListing.PROPERTY, savedListing);
        restore(PluginsDirectory.PROPERTY, savedPlugins);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private void jarWithListing(String name, String listing) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            out.putNextEntry(new JarEntry(WorkerListing.RESOURCE));
            out.write(listing.getBytes(UTF_8));
            out.closeEntry();
        }
    }

    /** The listing the process finds once the directory is installed, as the CLI installs it. */
    private WorkerListing listingOfInstalledDirectory() {
        ClassLoader plugins = PluginsDirectory.open(dir, NO_LISTING).install(NO_LISTING);
        return WorkerListing.find(plugins);
    }

    @Test
    void theDirectorysListingWinsAndTheListingsInsideItsJarsAreIgnored() throws Exception {
        jarWithListing("a.jar", "counter\necho\n");
        jarWithListing("b.jar", "echo\n");
        Files.writeString(dir.resolve(PluginsDirectory.LISTING_FILE), "echo\ncounter\nkinds\n");

        WorkerListing listing = listingOfInstalledDirectory();

        assertThat(listing.names()).containsExactly("echo", "counter", "kinds");
        assertThat(listing.location()).isEqualTo(dir.toAbsolutePath().resolve(PluginsDirectory.LISTING_FILE).toString());
    }

    @Test
    void theListingPropertyWinsOverTheDirectorysListing() throws Exception {
        jarWithListing("a.jar", "counter\necho\n");
        Files.writeString(dir.resolve(PluginsDirectory.LISTING_FILE), "echo\ncounter\n");
        Path chosen = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("mine.list"), "kinds\n");
        System.setProperty(WorkerListing.PROPERTY, chosen.toString());

        WorkerListing listing = listingOfInstalledDirectory();

        assertThat(listing.names()).containsExactly("kinds");
        assertThat(listing.location()).isEqualTo(chosen.toAbsolutePath().toString());
    }

    @Test
    void withoutTheDirectorysListingTheOneJarWithAListingGivesIt() throws Exception {
        jarWithListing("a.jar", "counter\necho\n");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(dir.resolve("b.jar")))) {
            out.putNextEntry(new JarEntry("README.txt"));
            out.write("no listing here".getBytes(UTF_8));
            out.closeEntry();
        }

        WorkerListing listing = listingOfInstalledDirectory();

        assertThat(listing.names()).containsExactly("counter", "echo");
        assertThat(listing.location()).contains("a.jar!/" + WorkerListing.RESOURCE);
    }

    @Test
    void withoutTheDirectorysListingTwoJarsListingOneTypeFailNamingBoth() throws Exception {
        jarWithListing("a.jar", "counter\necho\n");
        jarWithListing("b.jar", "echo\n");

        assertThatThrownBy(this::listingOfInstalledDirectory)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("The worker type 'echo' is listed by two jars")
                .hasMessageContaining("a.jar!/" + WorkerListing.RESOURCE)
                .hasMessageContaining("b.jar!/" + WorkerListing.RESOURCE)
                .hasMessageContaining("remove one of the jars, or pin every type in an application listing");
    }
}
