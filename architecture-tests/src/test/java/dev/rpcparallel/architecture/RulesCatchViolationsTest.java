package dev.rpcparallel.architecture;

import static dev.rpcparallel.architecture.Classes.SAMPLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule fails when it is broken: the {@code fixture} packages of this module's test tree
 * (in the packages the rules watch) break each rule on purpose, and each rule must name the
 * class that breaks it. A rule that cannot fail would pass here too, so it is caught.
 */
class RulesCatchViolationsTest {
    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() {
        fixtures = new ClassFileImporter()
                .withImportOption(location -> location.contains("/fixture/"))
                .importPackages("dev.rpcparallel");
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void contractRules() {
        assertBroken(ContractModulesTest.dependOnTheJdkAlone(), "spi.fixture.UnmarkedThriftSpi", "org.apache.thrift.TBase");
        assertBroken(ContractModulesTest.noThriftTypeInAPublicSignature(),
                "UnmarkedThriftSpi.struct() returns org.apache.thrift.TBase");
        assertBroken(ContractModulesTest.publicTypesAreMarked(), "UnmarkedThriftSpi> is not annotated with @API");
        assertBroken(ContractModulesTest.internalPackagesAreMarkedInternal(), "StableInternal");
        assertBroken(ContractModulesTest.codecEngineOnlyThroughCodecs(), "RoomlessStarter", "WireTypes");
        assertBroken(ContractModulesTest.runtimeSeamOnlyForApiAndLauncher(), "LauncherPlugin", "ParallelRuntime");
    }

    @Test
    void applicationLibrariesRule() {
        assertBroken(ApplicationLibrariesTest.noGuava(), "GuavaListing", "com.google.common.collect.ImmutableList");
    }

    @Test
    void pluginRule() {
        assertBroken(PluginsTest.pluginsUseTheContractOnly(SAMPLES), "LauncherPlugin", "RoomlessStarter");
    }

    @Test
    void processRules() {
        assertBroken(ProcessesTest.onlyTheLauncher(), "LauncherPlugin", "Runtime.exec");
        assertBroken(ProcessesTest.onlyFork(), "RoomlessStarter", "ProcessBuilder");
    }

    @Test
    void cycleRule() {
        assertBroken(PackageCyclesTest.noCycles(), "Cycle detected", "launcher.client.fixture", "launcher.server.fixture");
    }

    @Test
    void roomRules() {
        assertBroken(LauncherRoomsTest.rooms(), "RoomlessStarter> does not reside in any package");
        assertBroken(LauncherRoomsTest.clientWithoutServer(), "ServerAwareClient", "ClientAwareServer");
        assertBroken(LauncherRoomsTest.serverWithoutClient(), "ClientAwareServer", "ServerAwareClient");
        assertBroken(LauncherRoomsTest.rpcEngineKnowsNoProcess(), "ServerAwareClient", "AnyMaster", "PoolAwareProtocol");
        assertBroken(LauncherRoomsTest.forkKnowsNoRpc(), "RpcAwareFork", "PoolAwareProtocol");
        assertBroken(LauncherRoomsTest.masterAndWorkerOnTop(), "AnyMaster", "AnyWorker");
        assertBroken(LauncherRoomsTest.warmPoolInItsRoom(), "PoolAwareProtocol", "AnyPool");
        assertBroken(LauncherRoomsTest.launcherWithoutTransportImplementations(), "RoomlessStarter", "RuntimeAwareTransport");
        assertBroken(LauncherRoomsTest.transportsWithoutRuntime(), "RuntimeAwareTransport", "RoomlessStarter");
    }

    @Test
    void fileSizeRule(@TempDir Path root) throws IOException {
        Path tree = Files.createDirectories(root.resolve("module/src/main/java/x"));
        Files.write(tree.resolve("Long.java"), Collections.nCopies(MainFileSizeTest.LIMIT + 1, "//"));
        Files.write(tree.resolve("AtTheLimit.java"), Collections.nCopies(MainFileSizeTest.LIMIT, "//"));
        Files.write(tree.resolve("Generated.java"), Collections.nCopies(MainFileSizeTest.LIMIT * 2, " * @generated"));
        assertThat(MainFileSizeTest.tooLong(root))
                .containsExactly("module/src/main/java/x/Long.java (" + (MainFileSizeTest.LIMIT + 1) + " lines)");
    }

    private static void assertBroken(ArchRule rule, String... named) {
        assertThatThrownBy(() -> rule.check(fixtures))
                .as(rule.getDescription())
                .isInstanceOf(AssertionError.class)
                .hasMessageContainingAll(named);
    }
}
