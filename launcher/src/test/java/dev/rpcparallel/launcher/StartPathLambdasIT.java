package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a spawned worker links on its way to its first answer: no lambda of the packages that
 * carry every session (server, client, protocol, logging). Each lambda is linked at its first
 * use by the JDK's lambda factory (an ASM class writer, method-handle resolution, a class spun
 * or found in the class-data archive): about 1.6 KB of heap that stays resident in an idle
 * worker, and CPU before the first answer. Counted from the worker's own
 * {@code -Xlog:class+load}, after a spawn, a connection with its handshake and one call.
 */
class StartPathLambdasIT {
    private static final Pattern LAMBDA = Pattern.compile("(dev\\.rpcparallel\\.[\\w.$]+?)\\$\\$Lambda\\$");
    private static final List<String> SESSION_PACKAGES = List.of("dev.rpcparallel.launcher.server.",
            "dev.rpcparallel.launcher.client.", "dev.rpcparallel.launcher.protocol.",
            "dev.rpcparallel.launcher.logging.");

    @TempDir
    Path temp;

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
        assertThat(WorkerProcesses.childrenOfThisJvm()).isEmpty();
    }

    @Test
    void aWorkerLinksNoLambdaOfTheSessionPackagesBeforeItsFirstAnswer() throws Exception {
        Path classes = temp.resolve("classes.log");
        try (Connection connection = Parallel.connect(Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder()
                .addJvmOptions("-Xlog:class+load:file=" + classes).build()))) {
            assertThat(connection.call(Kinds.PING, "first")).isEqualTo("first");
            String loaded = Files.readString(classes, UTF_8);
            // The log is the worker's: it has served the call.
            assertThat(loaded).contains("dev.rpcparallel.launcher.server.ServerCall ");
            assertThat(lambdaHosts(loaded)).as("lambda classes of the session packages linked before the first answer")
                    .filteredOn(host -> SESSION_PACKAGES.stream().anyMatch(host::startsWith))
                    .isEmpty();
            connection.shutdownWorker();
        }
    }

    /** The classes whose lambdas were linked, once per lambda. */
    private static List<String> lambdaHosts(String classLoadLog) {
        Matcher matcher = LAMBDA.matcher(classLoadLog);
        List<String> hosts = new java.util.ArrayList<>();
        while (matcher.find()) {
            hosts.add(matcher.group(1));
        }
        return hosts;
    }
}
