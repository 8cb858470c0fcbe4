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
 * A master's runtime keeps no thread waiting for work that can no longer come: once its last
 * worker is gone its timer ends (the master's heartbeat check runs only while a worker is
 * watched), and once its {@code startApp} has returned every runtime thread ends by itself within
 * about its keep-alive ({@code IdleEndingPools}).
 * A host that runs the program's main and then waits for the threads it started, such as
 * Maven's {@code exec:java} (15 s, then "thread ... will linger despite being asked to die via
 * interruption"), is not held up. Before, the runtime's timer never ended (the master's
 * heartbeat check stayed scheduled with no worker left) and its pools' threads lived 60 s.
 */
class RuntimeThreadsAfterStartAppIT {
    /** Far above the 1 s keep-alive, for a loaded machine; far below exec:java's 15 s. */
    private static final long ENOUGH_MILLIS = 8_000;

    @Test
    void theTimerEndsWithTheLastWorkerAndEveryRuntimeThreadSoonAfterStartAppReturns() throws Exception {
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
        assertThat(out).as(printed).contains("PING a", "SLEEP 1", "PIPE [0, 1, 2]", "RUNTIME THREADS [");
        Matcher timer = Pattern.compile("TIMER ENDED WITH NO WORKER AFTER (\\d+) ms").matcher(out);
        assertThat(timer.find()).as("the timer ended once the master had no worker; %s", printed).isTrue();
        assertThat(Long.parseLong(timer.group(1))).as(printed).isLessThan(ENOUGH_MILLIS);
        Matcher ended = Pattern.compile("(?m)^ENDED AFTER (\\d+) ms").matcher(out);
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
