package dev.rpcparallel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.rpcparallel.architecture.Classes.LAUNCHER;
import static dev.rpcparallel.architecture.Classes.TRANSPORTS;
import static dev.rpcparallel.architecture.Classes.launcher;

import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The launcher's rooms (README, "Architecture"): one package per concern, layered so that the
 * RPC engine (protocol, client, server) knows nothing of processes, and spawning (master,
 * worker, fork, warm) sits on top of it. A rule whose rooms do not exist yet fails too
 * ("failed to check any classes"): the layout is part of the rule.
 */
class LauncherRoomsTest {
    static final String REGISTRY = launcher("registry");
    static final String PROTOCOL = launcher("protocol");
    static final String CLIENT = launcher("client");
    static final String SERVER = launcher("server");
    static final String LOGGING = launcher("logging");
    static final String MASTER = launcher("master");
    static final String WORKER = launcher("worker");
    static final String FORK = launcher("fork");
    static final String WARM = launcher("warm");

    @Test
    void everyClassLivesInARoom() {
        rooms().check(Classes.product());
    }

    @Test
    void clientNeverDependsOnServer() {
        clientWithoutServer().check(Classes.product());
    }

    @Test
    void serverNeverDependsOnClient() {
        serverWithoutClient().check(Classes.product());
    }

    @Test
    void theRpcEngineKnowsNoProcess() {
        rpcEngineKnowsNoProcess().check(Classes.product());
    }

    @Test
    void forkKnowsNoRpcClass() {
        forkKnowsNoRpc().check(Classes.product());
    }

    @Test
    void masterAndWorkerSitOnTop() {
        masterAndWorkerOnTop().check(Classes.product());
    }

    @Test
    void theWarmPoolStaysInItsRoom() {
        warmPoolInItsRoom().check(Classes.product());
    }

    @Test
    void theLauncherImportsNoTransportImplementation() {
        launcherWithoutTransportImplementations().check(Classes.product());
    }

    @Test
    void transportsKnowNoRuntime() {
        transportsWithoutRuntime().check(Classes.product());
    }

    static ArchRule rooms() {
        return classes().that().resideInAPackage(LAUNCHER)
                .should().resideInAnyPackage("dev.rpcparallel.launcher", REGISTRY, PROTOCOL, CLIENT, SERVER,
                        LOGGING, MASTER, WORKER, FORK, WARM, launcher("context"), launcher("liveness"),
                        launcher("sharing"), launcher("cli"), launcher("tls"))
                .because("the launcher's packages are the rooms of the README's Architecture section (tls: the"
                        + " application's generated TLS key between hosts, below context)");
    }

    static ArchRule clientWithoutServer() {
        return noClasses().that().resideInAPackage(CLIENT)
                .should().dependOnClassesThat().resideInAPackage(SERVER)
                .because("what both ends share lives in protocol");
    }

    static ArchRule serverWithoutClient() {
        return noClasses().that().resideInAPackage(SERVER)
                .should().dependOnClassesThat().resideInAPackage(CLIENT)
                .because("what both ends share lives in protocol");
    }

    static ArchRule rpcEngineKnowsNoProcess() {
        return noClasses().that().resideInAnyPackage(PROTOCOL, CLIENT, SERVER)
                .should().dependOnClassesThat().resideInAnyPackage(MASTER, WORKER, FORK, WARM)
                .because("sessions serve calls whoever started the process");
    }

    static ArchRule forkKnowsNoRpc() {
        return noClasses().that().resideInAPackage(FORK)
                .should().dependOnClassesThat().resideInAnyPackage(PROTOCOL, CLIENT, SERVER,
                        "dev.rpcparallel.spi.transport..")
                .because("fork starts and watches JVMs; what they say to each other is not its business");
    }

    static ArchRule masterAndWorkerOnTop() {
        return noClasses().that().resideInAnyPackage(REGISTRY, PROTOCOL, CLIENT, SERVER, LOGGING, FORK)
                .should().dependOnClassesThat().resideInAnyPackage(MASTER, WORKER)
                .because("master and worker use the rooms below them, never the other way");
    }

    static ArchRule warmPoolInItsRoom() {
        return noClasses().that().resideInAnyPackage(REGISTRY, PROTOCOL, CLIENT, SERVER, LOGGING, FORK)
                .should().dependOnClassesThat().resideInAPackage(WARM)
                .because("only the warm package (and the narrow hooks that call it) knows the pool");
    }

    static ArchRule launcherWithoutTransportImplementations() {
        return noClasses().that().resideInAPackage(LAUNCHER)
                .should().dependOnClassesThat().resideInAPackage(TRANSPORTS)
                .because("transports are found with ServiceLoader through the transport SPI");
    }

    static ArchRule transportsWithoutRuntime() {
        return noClasses().that().resideInAPackage(TRANSPORTS)
                .should().dependOnClassesThat().resideInAPackage(LAUNCHER)
                .because("a transport implements the transport SPI and nothing else");
    }
}
