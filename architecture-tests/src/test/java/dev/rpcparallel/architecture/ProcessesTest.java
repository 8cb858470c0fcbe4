package dev.rpcparallel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.rpcparallel.architecture.Classes.LAUNCHER;
import static dev.rpcparallel.architecture.Classes.TEST_PLUGINS;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The launcher is the only module that starts processes, and inside it the {@code fork} room
 * alone: a {@link ProcessBuilder} or {@code Runtime.exec} anywhere else is a second, unsupervised
 * way to start a JVM. The one other place is an implementation of the launch SPI
 * ({@code dev.rpcparallel.launch.*}, such as {@code launch-ssh}): starting a process somewhere is
 * its whole job, and the launcher supervises what it starts through the SPI's handle. (The
 * benchmarks start baseline JVMs of their own; they are not a product module and are not
 * imported here.)
 */
class ProcessesTest {

    @Test
    void onlyTheLauncherStartsProcesses() {
        onlyTheLauncher().check(Classes.product());
    }

    @Test
    void noTestPluginStartsProcesses() {
        noClasses().that().resideInAPackage(TEST_PLUGINS)
                .should().accessTargetWhere(startsAProcess())
                .check(Classes.launcherTestPlugins());
    }

    @Test
    void insideTheLauncherOnlyForkStartsProcesses() {
        onlyFork().check(Classes.product());
    }

    static ArchRule onlyTheLauncher() {
        return noClasses().that().resideOutsideOfPackages(LAUNCHER, Classes.LAUNCH_IMPLEMENTATIONS)
                .should().accessTargetWhere(startsAProcess())
                .because("the launcher supervises every process rpc-parallel starts, directly or through a"
                        + " launch SPI implementation");
    }

    static ArchRule onlyFork() {
        return noClasses().that().resideInAPackage(LAUNCHER).and().resideOutsideOfPackage(Classes.launcher("fork"))
                .should().accessTargetWhere(startsAProcess())
                .because("fork owns the worker command line and the process handle");
    }

    static DescribedPredicate<JavaAccess<?>> startsAProcess() {
        return DescribedPredicate.describe("starts a process (ProcessBuilder, Runtime.exec)",
                access -> access.getTargetOwner().isEquivalentTo(ProcessBuilder.class)
                        || (access.getTargetOwner().isEquivalentTo(Runtime.class)
                                && access.getName().equals("exec")));
    }
}
