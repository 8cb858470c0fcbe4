package dev.rpcparallel.sample.primestream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.sample.AppOutcome;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.sample.primestream.PrimeStream.Range;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Runs the app in this JVM as master, against a real worker process. */
class PrimeStreamAppIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void showsBackpressureCancellationAndTheFullStream() {
        AppOutcome outcome = PrimeStreamAppTest.run("--limit", "1e6", "--take", "300", "--progress");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        String out = outcome.out();
        assertThat(out).containsPattern("started worker 'primestream-1' in \\d+\\.\\d{3} s");
        // Every report while taking slowly: the worker at most a window ahead.
        Matcher took = Pattern.compile("took +(\\d+) primes \\(last (\\d+)\\), the worker had produced +(\\d+)").matcher(out);
        int reports = 0;
        while (took.find()) {
            reports++;
            long taken = Long.parseLong(took.group(1));
            long produced = Long.parseLong(took.group(3));
            assertThat(produced - taken).as("how far the worker ran ahead in: %s", took.group()).isBetween(0L, (long) RemoteStream.WINDOW);
        }
        assertThat(reports).isEqualTo(5);
        assertThat(out).contains("took    300 primes (last 1987)");
        Matcher cancel = Pattern.compile("cancel: closed the stream after 300 primes; the worker stopped at (\\d+) primes"
                + " and saw the cancellation").matcher(out);
        assertThat(cancel.find()).as(out).isTrue();
        assertThat(Long.parseLong(cancel.group(1))).isBetween(300L, 300L + RemoteStream.WINDOW);
        assertThat(out).containsPattern("full speed: streamed all 78498 primes below 1000000 in \\d+\\.\\d{3} s"
                + " \\([\\d,]+ primes/s\\); the largest is 999983");
        List<String> progress = outcome.err().lines().filter(line -> line.startsWith("progress: ")).toList();
        assertThat(progress).first().isEqualTo("progress: 0/1000000 numbers");
        assertThat(progress).last().asString().startsWith("progress: 1000000/1000000 numbers");
    }

    @Test
    void aBadRangeReachesTheConsumerAsTheWorkersException() {
        try (Connection worker = Parallel.spawnAndConnect(PrimeStream.TYPE, null, null, SpawnOptions.defaults());
                RemoteStream<Long> primes = worker.pipe(PrimeStream.PRIMES, new Range(10, 5))) {
            Assertions.assertThatThrownBy(() -> primes.iterator().hasNext())
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("the range [10, 5) ends before it starts");
        }
    }
}
