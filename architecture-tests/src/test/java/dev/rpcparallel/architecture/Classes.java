package dev.rpcparallel.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;

/** The classes the rules look at, imported once per test run. */
final class Classes {
    /** Packages of the modules, as the README's Architecture section names them. */
    static final String PUBLIC_API = "dev.rpcparallel.api..";
    static final String API_INTERNAL = "dev.rpcparallel.api.internal..";
    static final String API_RUNTIME = "dev.rpcparallel.api.runtime..";
    static final String SPI = "dev.rpcparallel.spi..";
    static final String MAPREDUCE = "dev.rpcparallel.mapreduce..";
    /** Thrift services as worker types (module thrift-services): over api and spi, for plugins and masters. */
    static final String THRIFT_SERVICES = "dev.rpcparallel.thrift..";
    static final String LAUNCHER = "dev.rpcparallel.launcher..";
    /** Implementations of the launch SPI ({@code spi.launch}): ways to start a process elsewhere. */
    static final String LAUNCH_IMPLEMENTATIONS = "dev.rpcparallel.launch..";
    static final String TRANSPORTS = "dev.rpcparallel.transport..";
    static final String SAMPLES = "dev.rpcparallel.sample..";
    static final String TEST_PLUGINS = "dev.rpcparallel.launcher.testplugins..";

    private static JavaClasses product;
    private static JavaClasses testPlugins;

    private Classes() {}

    /** The main classes of every module on this module's test class path (no test classes). */
    static synchronized JavaClasses product() {
        if (product == null) {
            product = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.rpcparallel");
        }
        return product;
    }

    /** The launcher's test plugins, from the launcher's compiled test tree. */
    static synchronized JavaClasses launcherTestPlugins() {
        if (testPlugins == null) {
            Path root = Path.of(System.getProperty("launcher.test.classes", "../launcher/target/test-classes"));
            Path plugins = root.resolve("dev/rpcparallel/launcher/testplugins");
            if (!Files.isDirectory(plugins)) {
                throw new IllegalStateException("The launcher's test plugins are not compiled at " + plugins
                        + ": build the launcher's tests first (mvn test-compile -pl launcher -am)");
            }
            testPlugins = new ClassFileImporter().importPath(plugins);
        }
        return testPlugins;
    }

    /** The launcher's package of a room of the README's target layout. */
    static String launcher(String room) {
        return "dev.rpcparallel.launcher." + room + "..";
    }
}
