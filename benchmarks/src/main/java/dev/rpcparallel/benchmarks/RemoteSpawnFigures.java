package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.ms;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import dev.rpcparallel.launcher.LauncherRuntime;
import dev.rpcparallel.launcher.context.Transports;
import dev.rpcparallel.sample.primes.Primes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * 2.11: spawn to ready on other hosts, each beside a local cold spawn of the same master in the
 * same run, the rounds alternating which goes first: over ssh the first spawn to a host (a fresh
 * class-path cache, so the class path is copied), a later one (cache hit, multiplexed ssh
 * connection) and one from a warm pool kept on that host; a Slurm job; and {@code primes} on two
 * hosts with one worker each against one host with one worker.
 *
 * <p>Runs only when targets are given: {@value #SSH_TARGETS} (ssh URIs, comma-separated) and
 * {@value #SLURM_TARGET} (a slurm URI), or, in a full run, the variables that
 * {@code .ci/sshd.sh env} and {@code .ci/slurm.sh env} print (a quick run takes only the explicit
 * ones: copying the class path to a fresh cache takes many seconds); otherwise it says why it is
 * skipped, in one line. The master
 * is a runtime of its own whose default launcher is remote, so that it listens where other hosts
 * reach it (the other figures' master listens on loopback).
 */
final class RemoteSpawnFigures {
    static final String SSH_TARGETS = "RPC_PARALLEL_BENCH_SSH";
    static final String SLURM_TARGET = "RPC_PARALLEL_BENCH_SLURM";
    private static final String ID = "2.11";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final LauncherRuntime master;
    private final Path caches;

    private RemoteSpawnFigures(LauncherRuntime master, Path caches) {
        this.master = master;
        this.caches = caches;
    }

    static void run(Scale scale, ResultTable table) throws Exception {
        boolean testEngines = scale != Scale.QUICK;
        List<String> ssh = sshTargets(testEngines);
        Optional<String> slurm = slurmTarget(testEngines);
        if (ssh.isEmpty() && slurm.isEmpty()) {
            String why = "remote spawn figures (" + ID + ") skipped: no target; set " + SSH_TARGETS
                    + "=ssh://HOST1,ssh://HOST2 and/or " + SLURM_TARGET + "=slurm://[PARTITION]"
                    + (testEngines ? " (or the variables of .ci/sshd.sh env and .ci/slurm.sh env)"
                            : " (a quick run does not take the test engines of .ci/sshd.sh env and .ci/slurm.sh env)");
            System.err.println("[bench] " + why);
            table.note(why);
            return;
        }
        // A fresh directory on this host; on hosts that share its files (the test hosts) it holds their caches too.
        Path caches = Files.createTempDirectory("rpc-parallel-bench-remote-");
        LauncherRuntime master = new LauncherRuntime();
        master.initMaster(RpcSettings.defaults().withTransport(Transports.NETWORK_TRANSPORT)
                .withLauncher(ssh.isEmpty() ? slurm.get() : ssh.get(0)));
        RemoteSpawnFigures figures = new RemoteSpawnFigures(master, caches);
        int rounds = scale == Scale.QUICK ? 1 : 5;
        try {
            if (!ssh.isEmpty()) {
                figures.ssh(ssh.get(0), rounds, table);
            }
            if (slurm.isPresent()) {
                figures.slurm(slurm.get(), rounds, table);
            }
            if (ssh.size() >= 2) {
                figures.primesOnTwoHosts(ssh.get(0), ssh.get(1), scale, table);
            } else if (!ssh.isEmpty()) {
                table.note(ID + " primes on 2 hosts: skipped, " + SSH_TARGETS + " names one host");
            }
        } finally {
            master.shutdownAll();
            SpawnFigures.deleteTree(caches);
        }
    }

    /** First spawn (fresh cache), later spawn (cache hit) and warm pool on {@code host}, each round beside a local cold spawn. */
    private void ssh(String host, int rounds, ResultTable table) throws Exception {
        SpawnOptions local = options().launcher("local:").build();
        SpawnOptions cached = options().launcher(withCache(host, caches.resolve("cached"))).build();
        SpawnOptions pooled = cached.toBuilder().addJvmOptions("-Drpcparallel.bench.pool=" + ID).build();
        URI pool = pooled.launcher().orElseThrow();
        // The first spawn of the run: a new ssh connection and the class path copied.
        long firstOfRun = spawnToReady(options().launcher(withCache(host, freshCache())).build());
        spawnToReady(cached); // untimed: fills the cache the later spawns hit
        spawnToReady(local); // untimed: the local class-data archive exists, as it does in use
        master.keepWarm(1, pooled);
        Samples localCold = new Samples();
        Samples first = new Samples();
        Samples later = new Samples();
        Samples fromPool = new Samples();
        for (int round = 0; round < rounds; round++) {
            awaitIdle(pool);
            if (round % 2 == 0) {
                localCold.add(spawnToReady(local));
            }
            first.add(spawnToReady(options().launcher(withCache(host, freshCache())).build()));
            awaitIdle(pool);
            later.add(spawnToReady(cached));
            awaitIdle(pool);
            fromPool.add(spawnToReady(pooled));
            awaitIdle(pool);
            if (round % 2 == 1) {
                localCold.add(spawnToReady(local));
            }
        }
        master.keepWarm(0, pooled);
        String of = " (median of " + rounds + ")";
        String cold = "local cold spawn, same master, median";
        long base = localCold.median();
        table.add(ID, "ssh: first spawn of the run to a host (new ssh connection, class path copied)", ms(firstOfRun),
                cold, ms(base), ratio((double) firstOfRun / base), "(none set)", Verdict.INFO);
        table.add(ID, "ssh: first spawn to a host, class path copied (fresh cache)" + of, ms(first.median()), cold,
                ms(base), ratio((double) first.median() / base), "(none set)", Verdict.INFO);
        double hit = (double) later.median() / base;
        table.add(ID, "ssh: later spawn (cache hit, multiplexed connection)" + of, ms(later.median()), cold, ms(base),
                ratio(hit), "≤ 1.5× local cold", Verdict.of(hit <= 1.5));
        table.add(ID, "ssh: spawn from the host's warm pool" + of, ms(fromPool.median()), cold, ms(base),
                ratio((double) fromPool.median() / base), "(none set)", Verdict.INFO);
    }

    /** A Slurm job's spawn to ready, each round beside a local cold spawn. */
    private void slurm(String target, int rounds, ResultTable table) throws Exception {
        SpawnOptions local = options().launcher("local:").build();
        SpawnOptions job = options().launcher(target).build();
        spawnToReady(job); // untimed: the first job of the run
        spawnToReady(local);
        Samples localCold = new Samples();
        Samples jobs = new Samples();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                localCold.add(spawnToReady(local));
                jobs.add(spawnToReady(job));
            } else {
                jobs.add(spawnToReady(job));
                localCold.add(spawnToReady(local));
            }
        }
        long extra = jobs.median() - localCold.median();
        table.add(ID, "Slurm: spawn as a job to ready (median of " + rounds + ")", ms(jobs.median()),
                "local cold spawn, same master, median", ms(localCold.median()),
                String.format(Locale.ROOT, "%s (+%.0f ms)", ratio((double) jobs.median() / localCold.median()),
                        extra / 1e6),
                "≤ local cold + 0.3 s", Verdict.of(extra <= TimeUnit.MILLISECONDS.toNanos(300)));
    }

    /** {@code primes} on one worker on each of two hosts against one worker on one host, rounds alternating. */
    private void primesOnTwoHosts(String host1, String host2, Scale scale, ResultTable table) throws Exception {
        long limit = scale.primesLimit();
        List<Primes.Range> chunks = SpeedupFigure.chunks(limit);
        WorkerRef first = master.spawn(Primes.TYPE, null, options().name("primes-host-1")
                .launcher(withCache(host1, caches.resolve("cached"))).build());
        WorkerRef second = master.spawn(Primes.TYPE, null, options().name("primes-host-2")
                .launcher(withCache(host2, caches.resolve("cached-2"))).build());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection a = master.connect(first, null); Connection b = master.connect(second, null)) {
            List<ToLongFunction<Primes.Range>> one = List.of(range -> a.call(Primes.COUNT, range));
            List<ToLongFunction<Primes.Range>> two = List.of(range -> a.call(Primes.COUNT, range),
                    range -> b.call(Primes.COUNT, range));
            List<Primes.Range> warmup = SpeedupFigure.chunks(Math.max(limit / 8, 1_000_000));
            SpeedupFigure.count(threads, warmup, two);
            SpeedupFigure.count(threads, warmup, List.of(range -> b.call(Primes.COUNT, range)));
            Samples oneHost = new Samples();
            Samples twoHosts = new Samples();
            long expected = -1;
            for (int round = 0; round < scale.speedupRounds(); round++) {
                long[] results = new long[2];
                if (round % 2 == 0) {
                    oneHost.add(SpeedupFigure.timed(() -> results[0] = SpeedupFigure.count(threads, chunks, one)));
                    twoHosts.add(SpeedupFigure.timed(() -> results[1] = SpeedupFigure.count(threads, chunks, two)));
                } else {
                    twoHosts.add(SpeedupFigure.timed(() -> results[1] = SpeedupFigure.count(threads, chunks, two)));
                    oneHost.add(SpeedupFigure.timed(() -> results[0] = SpeedupFigure.count(threads, chunks, one)));
                }
                for (long result : results) {
                    if (expected >= 0 && result != expected) {
                        throw new IllegalStateException("prime counts disagree: " + java.util.Arrays.toString(results));
                    }
                    expected = result;
                }
            }
            double speedup = (double) oneHost.median() / twoHosts.median();
            table.add(ID, String.format(Locale.ROOT, "primes < %,d: 2 hosts × 1 worker vs 1 host × 1 worker (median"
                            + " of %d)", limit, scale.speedupRounds()),
                    String.format(Locale.ROOT, "%.2f× (%.2f s → %.2f s)", speedup, oneHost.median() / 1e9,
                            twoHosts.median() / 1e9),
                    "1 host × 1 worker", String.format(Locale.ROOT, "%.2f s", oneHost.median() / 1e9),
                    ratio(speedup), "≥ 1.8× when the hosts have their own cores", Verdict.of(speedup >= 1.8));
        } finally {
            threads.shutdownNow();
            master.shutdown(first);
            master.shutdown(second);
        }
    }

    /**
     * Options with a spawn timeout for a busy machine: the first spawn to a host copies the
     * class path (tens of MB), which took over a minute at a load average above 20.
     */
    private static SpawnOptions.Builder options() {
        return SpawnOptions.builder().spawnTimeout(Duration.ofMinutes(5));
    }

    /** Nanoseconds from spawn until connected; then shuts the worker down and waits for its end, untimed. */
    private long spawnToReady(SpawnOptions options) throws Exception {
        long start = System.nanoTime();
        WorkerRef worker = master.spawn(Bench.TYPE, null,
                options.toBuilder().name("remote-" + NAMES.incrementAndGet()).build());
        long ready;
        try (Connection connection = master.connect(worker, null)) {
            ready = System.nanoTime() - start;
            connection.call(Bench.PID, null);
        }
        master.shutdown(worker);
        // Its process here (the ssh or srun client, or the JVM) ends with it: nothing of it competes with the next.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!master.childProcesses().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return ready;
    }

    /** Waits until the pool of {@code launcher} has its idle worker again: a refill must not compete with a spawn. */
    private void awaitIdle(URI launcher) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (master.warmProcesses(launcher).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm pool on " + launcher + " has no idle worker after 120 s");
            }
            Thread.sleep(20);
        }
    }

    private Path freshCache() throws IOException {
        return Files.createTempDirectory(caches, "fresh-");
    }

    /** {@code target} with its class-path cache in {@code directory} (replacing a {@code cache=} it names). */
    static String withCache(String target, Path directory) {
        URI uri = URI.create(target);
        List<String> query = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String parameter : uri.getRawQuery().split("&")) {
                if (!parameter.startsWith("cache=")) {
                    query.add(parameter);
                }
            }
        }
        query.add("cache=" + directory);
        String base = uri.getRawQuery() == null ? target : target.substring(0, target.indexOf('?'));
        return base + "?" + String.join("&", query);
    }

    /**
     * {@value #SSH_TARGETS}, else (if {@code testEngines}) the test sshd's other hosts (or its
     * loopback host) from {@code .ci/sshd.sh env}.
     */
    private static List<String> sshTargets(boolean testEngines) {
        String given = System.getenv(SSH_TARGETS);
        if (given != null && !given.isBlank()) {
            return Stream.of(given.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        }
        String config = System.getenv("RPC_PARALLEL_TEST_SSH_CONFIG");
        if (!testEngines || config == null || config.isBlank()) {
            return List.of();
        }
        if (System.getenv("RPC_PARALLEL_SSH") == null && System.getProperty("rpcparallel.ssh") == null) {
            System.setProperty("rpcparallel.ssh", "ssh -F " + config);
        }
        List<String> others = Stream.of(System.getenv().getOrDefault("RPC_PARALLEL_TEST_SSH_OTHER_HOSTS", "")
                .strip().split("\\s+")).filter(h -> !h.isEmpty()).map(h -> "ssh://" + h).toList();
        if (!others.isEmpty()) {
            return others;
        }
        String loopback = System.getenv("RPC_PARALLEL_TEST_SSH_HOST");
        return loopback == null || loopback.isBlank() ? List.of() : List.of("ssh://" + loopback);
    }

    /** {@value #SLURM_TARGET}, else (if {@code testEngines}) the test cluster's partition from {@code .ci/slurm.sh env}. */
    private static Optional<String> slurmTarget(boolean testEngines) {
        String given = System.getenv(SLURM_TARGET);
        if (given != null && !given.isBlank()) {
            return Optional.of(given.strip());
        }
        String partition = System.getenv("RPC_PARALLEL_TEST_SLURM_PARTITION");
        return !testEngines || System.getenv("RPC_PARALLEL_TEST_SLURM_CONF") == null ? Optional.empty()
                : Optional.of("slurm://" + (partition == null ? "" : partition.strip()));
    }
}
