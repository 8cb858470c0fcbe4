package dev.rpcparallel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.rpcparallel.architecture.Classes.MAPREDUCE;
import static dev.rpcparallel.architecture.Classes.PUBLIC_API;
import static dev.rpcparallel.architecture.Classes.SAMPLES;
import static dev.rpcparallel.architecture.Classes.SPI;
import static dev.rpcparallel.architecture.Classes.TEST_PLUGINS;
import static dev.rpcparallel.architecture.Classes.THRIFT_SERVICES;

import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Plugins (and the master apps beside them) are written against api and spi, with mapreduce or
 * thrift-services if they use them (both are written over api and spi alone, like a plugin):
 * of rpc-parallel, nothing else. Their own libraries (a logging API, a CLI parser)
 * are theirs to choose.
 */
class PluginsTest {

    @Test
    void samplePluginsUseApiSpiMapreduceAndThriftServicesOnly() {
        pluginsUseTheContractOnly(SAMPLES).check(Classes.product());
    }

    @Test
    void thriftServicesIsWrittenOverApiAndSpiOnly() {
        noClasses().that().resideInAPackage(THRIFT_SERVICES)
                .should().dependOnClassesThat(Rpcparallel.outside(PUBLIC_API, SPI, THRIFT_SERVICES))
                .because("thrift-services is what a plugin or master adds to use Thrift services: like a plugin,"
                        + " it compiles against api + spi (and libthrift), never the launcher or a transport")
                .check(Classes.product());
    }

    @Test
    void theLaunchersTestPluginsUseApiSpiMapreduceAndThriftServicesOnly() {
        pluginsUseTheContractOnly(TEST_PLUGINS).check(Classes.launcherTestPlugins());
    }

    static ArchRule pluginsUseTheContractOnly(String plugins) {
        return noClasses().that().resideInAPackage(plugins)
                .should().dependOnClassesThat(Rpcparallel.outside(PUBLIC_API, SPI, MAPREDUCE, THRIFT_SERVICES, plugins))
                .because("a plugin compiles against api + spi (+ mapreduce, + thrift-services) only");
    }
}
