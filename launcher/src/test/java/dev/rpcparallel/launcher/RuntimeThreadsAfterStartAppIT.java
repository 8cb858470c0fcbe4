package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Once a master's {@code startApp} has returned, the runtime's threads end by themselves within
 * about their keep-alive ({@code IdleEndingPools}): none waits for work that can no longer come.
 * A host that runs the program's main and then waits for the threads it started, such as
 * Maven's {@code exec:java} (15 s, then "thread ... will linger despite being asked to die via
 * interruption"), is not held up. Before, the runtime's timer never ended (the master's
 * heartbeat check stayed scheduled with no worker left) and its pools' threads lived 60 s.
 */
class RuntimeThreadsAfterStartAppIT {
    /** Far above the 1 s keep-alive, for a loaded machine; far below exec:java's 15 s. */
    private static final long ENOUGH_MILLIS = 8_000;

    @Test
    void theRuntimesThreadsEndSoonAfterStartAppReturns() throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Drpcparallel.cds=false", "-cp", System.getProperty("java.class.path"),
                RuntimeThreadsAfterStartAppMaster.class.getName());
        Process master = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(master.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(master.getErrorStream()));
        boolean exited = master.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            master.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = stdout.get(10, TimeUnit.SECONDS);
        String printed = String.format("it printed:%n%s%nand on stderr:%n%s", out, stderr.get(10, TimeUnit.SECONDS));
        assertThat(exited).as("the master exited; %s", printed).isTrue();
        assertThat(out).as(printed).contains("PING a", "SLEEP 1", "PIPE [0, 1, 2]", "RUNTIME THREADS [rpc-parallel-");
        Matcher ended = Pattern.compile("ENDED AFTER (\\d+) ms").matcher(out);
        assertThat(ended.find()).as("the runtime's threads ended within the watch; %s", printed).isTrue();
        assertThat(Long.parseLong(ended.group(1))).as(printed).isLessThan(ENOUGH_MILLIS);
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
