package dev.rpcparallel.benchmarks;

import dev.rpcparallel.benchmarks.PeerTable.Better;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleFunction;

/**
 * rpc-parallel beside what a user would otherwise write or use, in the same run: a hand-written
 * child JVM serving raw Thrift, Java RMI and gRPC-java with a child JVM each, and Python 3's
 * {@code ProcessPoolExecutor} (spawn and forkserver) when {@code python3} is on the PATH. The
 * child JVMs get the harness's JVM options plus the collector the launcher gives its workers
 * (read from the worker's command line), so that every JVM runs with the same options; their
 * class path holds only what a hand-written child needs ({@link JvmPeerChild}). Every
 * figure's rounds alternate between the contenders, so the machine's noise falls on all alike.
 * A peer that fails is reported in a note and left out of the figures that follow.
 *
 * <p>rpc-parallel runs the call figures twice in each round, as two contenders: on the transport
 * its settings choose (the unix transport between the processes of one host) and on TCP (its
 * settings naming {@code thrift}), the transport of every JVM peer; each gets its own row, with
 * its transport in the row's name, against the same peer values.
 */
final class PeerFigures {
    private static final int MIB = 1024 * 1024;
    /** Round-trip warm-up calls per {@link PeerSession#roundTrips} (so the warm-up's time is looked at between). */
    private static final int WARMUP_BATCH = 1_000;

    private final Scale scale;
    private final PeerTable table;
    private final RpcParallelPeer ours = RpcParallelPeer.cold();
    /** rpc-parallel over TCP, in the call figures; set while they run. */
    private RpcParallelPeer oursOverTcp;
    private final List<Peer> peers = new ArrayList<>();
    private final Map<Peer, String> failed = new LinkedHashMap<>();
    /** Where the round trip's calls are written ({@link TailTrace}); {@code null}: every figure, no trace. */
    private final Path trace;

    private PeerFigures(Scale scale, PeerTable table, Path trace) {
        this.scale = scale;
        this.table = table;
        this.trace = trace;
    }

    static void run(Scale scale, PeerTable table) throws Exception {
        new PeerFigures(scale, table, null).run();
    }

    /**
     * The round-trip figure alone, every contender started as for the whole comparison, each call's
     * start and length written to {@code trace} for the tail's profile ({@link TailAttribution}).
     */
    static void roundTripTraced(Scale scale, PeerTable table, Path trace) throws Exception {
        new PeerFigures(scale, table, trace).run();
    }

    private void run() throws Exception {
        List<String> jvmOptions = workerCollector();
        table.note("peer JVMs: the harness's JVM options" + (jvmOptions.isEmpty() ? ""
                : " plus " + String.join(" ", jvmOptions) + " (the collector on the worker's command line)")
                + ", and a class path of the benchmark jar and the peer's libraries (no rpc-parallel jar, no Log4j);"
                + " every JVM peer on loopback TCP; rpc-parallel on its default transport (spawn, RSS and the"
                + " call rows so marked) and on loopback TCP (the call rows marked TCP: its settings name the"
                + " thrift transport, for its own master and worker only)");
        peers.add(new ThriftChildPeer(jvmOptions));
        peers.add(new RmiPeer(jvmOptions));
        peers.add(new GrpcPeer(jvmOptions));
        for (Peer peer : peers) {
            table.peer(peer.name());
        }
        Optional<Path> python3 = PythonPoolPeer.python3();
        for (String method : List.of("spawn", "forkserver")) {
            table.peer("Python " + method);
            if (python3.isEmpty()) {
                table.absent("Python " + method, "skipped");
                continue;
            }
            try {
                PythonPoolPeer python = PythonPoolPeer.start(python3.get(), method);
                peers.add(python);
                table.note("Python " + method + ": " + python3.get() + " " + python.version()
                        + ", ProcessPoolExecutor(max_workers=1); it times its own calls");
            } catch (Exception e) {
                table.absent("Python " + method, "failed");
                table.note("Python " + method + " could not start: " + e);
            }
        }
        if (python3.isEmpty()) {
            table.note("Python peers skipped: no python3 on the PATH");
        }
        try (RpcParallelPeer warm = RpcParallelPeer.warmPool()) {
            if (trace == null) {
                startFigures(warm);
                idleResidentSize();
            }
            try (RpcParallelPeer overTcp = RpcParallelPeer.overTcp()) {
                oursOverTcp = overTcp;
                callFigures();
            } finally {
                oursOverTcp = null;
            }
        } finally {
            for (Peer peer : peers) {
                try {
                    peer.close();
                } catch (Exception e) {
                    table.note(peer.name() + " did not close cleanly: " + e);
                }
            }
        }
    }

    /** The collector option(s) on a spawned worker's command line: what the peer JVMs get too. */
    private List<String> workerCollector() throws Exception {
        Peer.Started probe = ours.start();
        try {
            List<String> options = new ArrayList<>();
            for (String argument : ProcessHandle.of(probe.session().pid()).flatMap(p -> p.info().arguments())
                    .orElse(new String[0])) {
                if (argument.matches("-XX:\\+Use\\w+GC")) {
                    options.add(argument);
                }
            }
            return options;
        } finally {
            probe.session().close();
        }
    }

    interface Measurement<T> {
        T measure(Peer peer) throws Exception;
    }

    /** Runs {@code measurement} on a peer still in the comparison; a failure drops the peer (ours fails the figure). */
    private <T> Optional<T> measure(Peer peer, String figure, Measurement<T> measurement) throws Exception {
        if (failed.containsKey(peer)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(measurement.measure(peer));
        } catch (Exception | Error e) {
            if (peer == ours || peer instanceof RpcParallelPeer) {
                throw e;
            }
            failed.put(peer, figure);
            table.absent(peer.name(), "failed");
            table.note(peer.name() + " failed in '" + figure + "' and is left out from there on: " + e);
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- spawn to first answer

    private void startFigures(RpcParallelPeer warm) throws Exception {
        List<Peer> contenders = new ArrayList<>(List.of(ours, warm));
        contenders.addAll(peers);
        String figure = "spawn to first answer";
        // At least one unmeasured start each: CDS archives, the fork server, the page cache.
        for (int i = 0; i < Math.max(1, scale.warmupSpawns()); i++) {
            for (Peer peer : contenders) {
                measure(peer, figure, p -> {
                    p.start().session().close();
                    return null;
                });
            }
        }
        Map<Peer, Samples> samples = samplesOf(contenders);
        for (int round = 0; round < scale.peerStartRounds(); round++) {
            for (Peer peer : contenders) {
                measure(peer, figure, p -> {
                    Peer.Started started = p.start();
                    started.session().close();
                    samples.get(p).add(started.nanosToFirstAnswer());
                    return null;
                });
            }
        }
        Map<String, Double> cold = medians(samples);
        String rounds = " (median of " + scale.peerStartRounds() + ")";
        table.add("spawn to first answer, cold" + rounds, Better.LOWER, samples.get(ours).median(), cold,
                PeerFigures::ms);
        table.add("spawn to first answer, warm pool (peers: cold)" + rounds, Better.LOWER,
                samples.get(warm).median(), cold, PeerFigures::ms);
    }

    // ---------------------------------------------------------------- idle resident size

    /** Each contender's fresh child, after two echoes and {@code idleSeconds} idle, all at once. */
    private void idleResidentSize() throws Exception {
        String figure = "idle RSS";
        Map<Peer, PeerSession> sessions = new LinkedHashMap<>();
        List<Peer> contenders = new ArrayList<>(List.of(ours));
        contenders.addAll(peers);
        try {
            for (Peer peer : contenders) {
                measure(peer, figure, p -> {
                    PeerSession session = p.start().session();
                    sessions.put(p, session);
                    session.roundTrips(new byte[CallFigures.SMALL], 1, new Samples());
                    return null;
                });
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(scale.idleSeconds()));
            Map<Peer, Double> rss = new LinkedHashMap<>();
            for (Map.Entry<Peer, PeerSession> entry : sessions.entrySet()) {
                measure(entry.getKey(), figure, p -> rss.put(p,
                        (double) ChildJvms.residentBytes(entry.getValue().pid())));
            }
            table.add("idle RSS of the worker/child (VmRSS)", Better.LOWER, rss.get(ours), byName(rss),
                    PeerFigures::mib);
        } finally {
            for (PeerSession session : sessions.values()) {
                session.close();
            }
        }
    }

    // ---------------------------------------------------------------- calls

    private void callFigures() throws Exception {
        Map<Peer, PeerSession> sessions = new LinkedHashMap<>();
        List<Peer> contenders = new ArrayList<>(List.of(ours, oursOverTcp));
        contenders.addAll(peers);
        try {
            for (Peer peer : contenders) {
                measure(peer, "calls", p -> sessions.put(p, p.start().session()));
            }
            roundTrip(sessions);
            if (trace != null) {
                return;
            }
            throughput(sessions);
            bandwidth(sessions, MIB, "1 MiB");
            bandwidth(sessions, 16 * MIB, "16 MiB");
        } finally {
            for (PeerSession session : sessions.values()) {
                session.close();
            }
        }
    }

    private void roundTrip(Map<Peer, PeerSession> sessions) throws Exception {
        String figure = "round trip";
        byte[] payload = new byte[CallFigures.SMALL];
        for (Map.Entry<Peer, PeerSession> entry : sessions.entrySet()) {
            measure(entry.getKey(), figure, p -> {
                long warmupStart = System.nanoTime();
                for (long calls = 0; scale.roundTripWarmingUp(calls, warmupStart); calls += WARMUP_BATCH) {
                    entry.getValue().roundTrips(payload, WARMUP_BATCH, new Samples());
                }
                return null;
            });
        }
        Map<Peer, Samples> samples = samplesOf(sessions.keySet(), trace != null);
        for (int round = 0; round < scale.roundTripRounds(); round++) {
            for (Map.Entry<Peer, PeerSession> entry : sessions.entrySet()) {
                measure(entry.getKey(), figure, p -> {
                    entry.getValue().roundTrips(payload, scale.roundTripCallsPerRound(), samples.get(p));
                    return null;
                });
            }
        }
        String calls = " (" + samples.get(ours).size() + " calls)";
        Map<Peer, Double> p50 = new LinkedHashMap<>();
        Map<Peer, Double> p99 = new LinkedHashMap<>();
        for (Map.Entry<Peer, Samples> entry : samples.entrySet()) {
            if (!failed.containsKey(entry.getKey())) {
                p50.put(entry.getKey(), (double) entry.getValue().median());
                p99.put(entry.getKey(), (double) entry.getValue().percentile(99));
            }
        }
        if (trace != null) {
            TailTrace.write(trace, sessions, samples, failed.keySet());
        }
        addOurs("round trip " + CallFigures.SMALL + " B, p50" + calls, Better.LOWER, p50, PeerFigures::us);
        addOurs("round trip " + CallFigures.SMALL + " B, p99", Better.LOWER, p99, PeerFigures::us);
    }

    /** One row per rpc-parallel contender in {@code values}, its transport in the row's name, against the peers. */
    private void addOurs(String figure, Better better, Map<Peer, Double> values, DoubleFunction<String> format) {
        for (RpcParallelPeer contender : List.of(ours, oursOverTcp)) {
            Double value = values.get(contender);
            if (value != null) {
                table.add(figure + ", rpc-parallel on " + transportName(contender.transport()), better, value,
                        byName(values), format);
            }
        }
    }

    private static String transportName(String transport) {
        return transport.equals("thrift") ? "TCP" : transport;
    }

    private void throughput(Map<Peer, PeerSession> sessions) throws Exception {
        int inFlight = 64;
        byte[] payload = new byte[CallFigures.SMALL];
        Map<Peer, Double> rates = rounds(sessions, "calls/s", scale.throughputRounds(),
                session -> session.callsPerSecond(payload, inFlight, scale.throughputSeconds() / 2),
                session -> session.callsPerSecond(payload, inFlight, scale.throughputSeconds()));
        addOurs("calls/s, " + inFlight + " in flight, " + CallFigures.SMALL + " B (median of "
                + scale.throughputRounds() + ")", Better.HIGHER, rates,
                value -> String.format(Locale.ROOT, "%,.0f", value));
    }

    private void bandwidth(Map<Peer, PeerSession> sessions, int size, String name) throws Exception {
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 0x5a);
        int minCalls = scale == Scale.QUICK ? 1 : 10;
        Map<Peer, Double> rates = rounds(sessions, name + " echo", scale.bandwidthRounds(),
                session -> session.echoBytesPerSecond(payload, scale.bandwidthSeconds() / 2, minCalls),
                session -> session.echoBytesPerSecond(payload, scale.bandwidthSeconds(), minCalls));
        addOurs(name + " echo, MB/s (median of " + scale.bandwidthRounds() + ")", Better.HIGHER, rates,
                value -> String.format(Locale.ROOT, "%,.0f", value / 1e6));
    }

    interface Rate {
        double of(PeerSession session) throws Exception;
    }

    /** One unmeasured run each, then {@code rounds} alternating rounds; each contender's median. */
    private Map<Peer, Double> rounds(Map<Peer, PeerSession> sessions, String figure, int rounds, Rate warmUp,
            Rate measured) throws Exception {
        for (Map.Entry<Peer, PeerSession> entry : sessions.entrySet()) {
            measure(entry.getKey(), figure, p -> warmUp.of(entry.getValue()));
        }
        Map<Peer, double[]> values = new LinkedHashMap<>();
        for (Peer peer : sessions.keySet()) {
            values.put(peer, new double[rounds]);
        }
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<Peer, PeerSession> entry : sessions.entrySet()) {
                int r = round;
                measure(entry.getKey(), figure, p -> values.get(p)[r] = measured.of(entry.getValue()));
            }
        }
        Map<Peer, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<Peer, double[]> entry : values.entrySet()) {
            if (!failed.containsKey(entry.getKey())) {
                medians.put(entry.getKey(), Samples.median(entry.getValue()));
            }
        }
        return medians;
    }

    // ---------------------------------------------------------------- helpers

    private static Map<Peer, Samples> samplesOf(Iterable<Peer> contenders) {
        return samplesOf(contenders, false);
    }

    /** Empty samples for each contender; {@linkplain Samples#timed() timed} ones if {@code timed}. */
    private static Map<Peer, Samples> samplesOf(Iterable<Peer> contenders, boolean timed) {
        Map<Peer, Samples> samples = new LinkedHashMap<>();
        for (Peer peer : contenders) {
            samples.put(peer, timed ? Samples.timed() : new Samples());
        }
        return samples;
    }

    /** The peers' medians by name (ours and rpc-parallel's warm pool left out). */
    private Map<String, Double> medians(Map<Peer, Samples> samples) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<Peer, Samples> entry : samples.entrySet()) {
            if (!(entry.getKey() instanceof RpcParallelPeer) && !failed.containsKey(entry.getKey())) {
                medians.put(entry.getKey().name(), (double) entry.getValue().median());
            }
        }
        return medians;
    }

    /** The peers' values by name (rpc-parallel's contenders left out). */
    private Map<String, Double> byName(Map<Peer, Double> values) {
        Map<String, Double> byName = new LinkedHashMap<>();
        for (Map.Entry<Peer, Double> entry : values.entrySet()) {
            if (!(entry.getKey() instanceof RpcParallelPeer) && !failed.containsKey(entry.getKey())) {
                byName.put(entry.getKey().name(), entry.getValue());
            }
        }
        return byName;
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String us(double nanos) {
        return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
