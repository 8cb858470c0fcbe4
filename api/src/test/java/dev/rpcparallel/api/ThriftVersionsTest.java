package dev.rpcparallel.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API does not depend on libthrift, and {@code Codecs.thrift} works with the libthrift the
 * application has: for each version, a class loader holding only the JDK, this module's classes
 * and that libthrift (copied to target/thrift-versions by the build) runs
 * {@code ThriftVersionProbe} there.
 */
class ThriftVersionsTest {
    private static final Path JARS = Path.of(System.getProperty("thrift.versions.dir", "target/thrift-versions"));

    @ParameterizedTest
    @ValueSource(strings = {"0.16.0", "0.20.0", "0.25.0"})
    void codecsOfThriftStructsWorkWithTheApplicationsLibthrift(String version) throws Exception {
        Path libthrift = JARS.resolve("libthrift-" + version + ".jar");
        assertThat(libthrift).as("copied by the build (maven-dependency-plugin)").exists();
        URL[] path = {
            Path.of("target/classes").toUri().toURL(),
            Path.of("target/test-classes").toUri().toURL(),
            libthrift.toUri().toURL(),
            slf4jApi().toUri().toURL()
        };
        try (URLClassLoader loader = new URLClassLoader("libthrift-" + version, path, ClassLoader.getPlatformClassLoader())) {
            Class<?> probe = loader.loadClass("dev.rpcparallel.api.thriftstruct.ThriftVersionProbe");
            assertThat(probe.getClassLoader()).isSameAs(loader);
            try {
                assertThat(probe.getMethod("run").invoke(null)).isEqualTo("libthrift-" + version + ".jar");
            } catch (InvocationTargetException e) {
                throw new AssertionError("with libthrift " + version + ": " + e.getCause(), e.getCause());
            }
        }
    }

    private static Path slf4jApi() throws Exception {
        try (var files = Files.list(JARS)) {
            return files.filter(f -> f.getFileName().toString().startsWith("slf4j-api-")).findFirst().orElseThrow();
        }
    }
}
