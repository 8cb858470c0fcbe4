package dev.rpcparallel.sample.master;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.sample.primes.Primes;
import dev.rpcparallel.sample.primestream.PrimeStream;
import java.util.concurrent.CompletableFuture;

/** A master in a plain main that calls the API directly, no CLI: the README's example. */
public final class PrimesMaster {
    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            // spawn: a new JVM with this class path; returns once the worker is up
            WorkerRef counter = Parallel.spawn(Primes.TYPE, null, SpawnOptions.builder().name("counter").build());
            try (Connection c = Parallel.connect(counter)) {
                long below10M = c.call(Primes.COUNT, new Primes.Range(0, 10_000_000));                  // blocking
                CompletableFuture<Long> below1M = c.callAsync(Primes.COUNT, new Primes.Range(0, 1_000_000)); // async
                System.out.println("primes below 10^7: " + below10M + ", below 10^6: " + below1M.join());
            }
            Parallel.shutdown(counter);

            // a pipe: the worker streams, at most a window ahead of this consumer
            WorkerRef streamer = Parallel.spawn(PrimeStream.TYPE, null, SpawnOptions.builder().name("streamer").build());
            try (Connection c = Parallel.connect(streamer);
                    RemoteStream<Long> primes = c.pipe(PrimeStream.PRIMES, new PrimeStream.Range(1_000, 1_100))) {
                System.out.println("primes in [1000, 1100): " + primes.stream().toList());
            }
        }); // workers still running when this returns (here, the streamer) are shut down
    }
}
