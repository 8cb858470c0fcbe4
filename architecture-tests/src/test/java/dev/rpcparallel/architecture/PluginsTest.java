package dev.rpcparallel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.rpcparallel.architecture.Classes.MAPREDUCE;
import static dev.rpcparallel.architecture.Classes.PUBLIC_API;
import static dev.rpcparallel.architecture.Classes.SAMPLES;
import static dev.rpcparallel.architecture.Classes.SPI;
import static dev.rpcparallel.architecture.Classes.TEST_PLUGINS;

import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Plugins (and the master apps beside them) are written against api and spi, with mapreduce if
 * they use it: of rpc-parallel, nothing else. Their own libraries (a logging API, a CLI parser)
 * are theirs to choose.
 */
class PluginsTest {

    @Test
    void samplePluginsUseApiSpiAndMapreduceOnly() {
        pluginsUseTheContractOnly(SAMPLES).check(Classes.product());
    }

    @Test
    void theLaunchersTestPluginsUseApiSpiAndMapreduceOnly() {
        pluginsUseTheContractOnly(TEST_PLUGINS).check(Classes.launcherTestPlugins());
    }

    static ArchRule pluginsUseTheContractOnly(String plugins) {
        return noClasses().that().resideInAPackage(plugins)
                .should().dependOnClassesThat(Rpcparallel.outside(PUBLIC_API, SPI, MAPREDUCE, plugins))
                .because("a plugin compiles against api + spi (+ mapreduce) only");
    }
}
