package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A master whose transport is {@code local} (threads of one JVM) cannot spawn a worker process:
 * the spawn fails at once with a {@code SpawnException} that says so and names the fix, and no
 * process is started. Before, a worker JVM started, connected over its own JVM's {@code local}
 * transport to a listener of its own that bore the master's address, and died with "the server at
 * this address is not the master with id ... (it has gone and its port was reused?)".
 */
class InProcessTransportSpawnIT {
    @Test
    void aMasterOnTheLocalTransportRefusesToSpawnAndSaysWhichTransportToChoose() throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), InProcessTransportSpawnMaster.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("RPC_PARALLEL_SETTINGS", "transport=local");
        Process master = builder.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(master.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(master.getErrorStream()));
        boolean exited = master.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            master.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = stdout.get(10, TimeUnit.SECONDS);
        String err = stderr.get(10, TimeUnit.SECONDS);
        String printed = String.format("it printed:%n%s%nand on stderr:%n%s", out, err);
        assertThat(exited).as("the master exited; %s", printed).isTrue();
        assertThat(out).as(printed)
                .contains("SPAWN FAILED Cannot start worker 'in-process-transport': the master listens on local://",
                        "an address of the local transport, which only threads of this JVM reach (workers served"
                                + " with Parallel.serve), never a spawned worker's process. Fix: leave the transport"
                                + " to auto, the default (unix on this host, thrift across hosts), or choose unix or"
                                + " thrift",
                        "CHILD PROCESSES 0");
        assertThat(err).as("no worker started, so none printed anything; %s", printed)
                .doesNotContain("[worker in-process-transport]");
        assertThat(master.exitValue()).as(printed).isZero();
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
