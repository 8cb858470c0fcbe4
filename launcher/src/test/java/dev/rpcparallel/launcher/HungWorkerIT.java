package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerFailedException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Liveness;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A master watches its workers' heartbeats: a worker stopped (hung) for the heartbeat timeout is
 * declared lost, its pending calls and streams fail, its failure callback runs once, and its
 * process is killed. This test class is the master, with its own runtime and a short timeout.
 */
class HungWorkerIT {
    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofMillis(2500);
    /** How much later than the timeout the failure may come on a loaded machine. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private static LauncherRuntime runtime;

    @BeforeAll
    static void startMaster() {
        runtime = new LauncherRuntime();
        runtime.initMaster(RpcSettings.defaults().withHeartbeat(INTERVAL, TIMEOUT));
    }

    @AfterAll
    static void stopMaster() {
        runtime.shutdownAll();
    }

    @Test
    void aStoppedWorkerIsDeclaredLostFailingItsCallsAndStreamsAndIsKilled() throws Exception {
        List<WorkerFailedException> failures = new CopyOnWriteArrayList<>();
        WorkerRef worker = runtime.spawn(Liveness.TYPE, "", SpawnOptions.builder().name("hung")
                .onFailure(failures::add).build());
        Connection connection = runtime.connect(worker, null);
        ProcessHandle process = ProcessHandle.of(connection.call(Liveness.PID, null)).orElseThrow();
        CompletableFuture<Long> blockingCall = CompletableFuture.supplyAsync(() -> connection.call(Liveness.SLEEP, 600_000L));
        RemoteStream<Long> ticks = connection.pipe(Liveness.TICKS, null);
        Iterator<Long> iterator = ticks.iterator();
        assertThat(iterator.next()).isZero();
        CompletableFuture<Throwable> streamFailure = CompletableFuture.supplyAsync(() -> catchThrowable(() -> {
            while (iterator.hasNext()) {
                iterator.next();
            }
        }));

        Signals.send("STOP", process.pid());
        long stopped = System.nanoTime();

        Throwable callFailure = catchThrowable(() -> blockingCall.get(TIMEOUT.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS));
        long failedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        assertThat(callFailure).isInstanceOf(ExecutionException.class);
        assertThat(callFailure.getCause()).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("on worker 'hung'")
                .hasMessageContaining("no heartbeat from worker 'hung' for ");
        assertThat(streamFailure.get(MARGIN.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("no heartbeat from worker 'hung' for ");
        System.out.printf("a stopped worker's blocking call failed %d ms after SIGSTOP (heartbeat timeout %d ms): %s%n",
                failedAfter, TIMEOUT.toMillis(), callFailure.getCause().getMessage());
        // Counted from the last heartbeat heard, up to an interval before the stop.
        assertThat(failedAfter).as("not before the heartbeat timeout")
                .isGreaterThanOrEqualTo(TIMEOUT.minus(INTERVAL).toMillis() - 100);

        await().atMost(MARGIN).until(() -> !process.isAlive());
        await().atMost(MARGIN).until(() -> !failures.isEmpty());
        // The process's death (killed) must not report the worker a second time.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> failures.size() == 1);
        assertThat(failures.get(0)).hasMessageStartingWith("Worker 'hung' is lost: no heartbeat from worker 'hung' for ")
                .hasMessageContaining("its process was killed");
        assertThat(connection.isOpen()).isFalse();
    }
}
