package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.rate;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;
import static dev.rpcparallel.benchmarks.ResultTable.us;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.benchmarks.BaselineClients.RawSocket;
import dev.rpcparallel.benchmarks.BaselineClients.ThriftPing;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * 2.3 round trip, 2.4 throughput and 2.5 bandwidth: calls of {@link Bench#ECHO} on one
 * connection to one spawned worker, against the raw Thrift and raw socket servers of
 * {@link BaselineServers}, which run in a JVM of their own as the worker does. Rounds of the
 * contenders alternate, so that the machine's noise falls on all alike.
 */
final class CallFigures {
    /** The payload of the round trip and throughput figures: a small request and response. */
    static final int SMALL = 32;

    private final Scale scale;
    private final ResultTable table;
    private final Connection connection;
    private final int thriftPort;
    private final int thriftBinaryPort;
    private final int socketPort;

    CallFigures(Scale scale, ResultTable table, Connection connection, int thriftPort, int thriftBinaryPort,
            int socketPort) {
        this.scale = scale;
        this.table = table;
        this.connection = connection;
        this.thriftPort = thriftPort;
        this.thriftBinaryPort = thriftBinaryPort;
        this.socketPort = socketPort;
    }

    // ---------------------------------------------------------------- 2.3 round trip

    void roundTrip() throws Exception {
        byte[] payload = new byte[SMALL];
        byte[] into = new byte[SMALL];
        Samples ours = new Samples();
        Samples thrift = new Samples();
        Samples thriftBinary = new Samples();
        Samples socket = new Samples();
        try (ThriftPing thriftClient = new ThriftPing(thriftPort, false);
                ThriftPing thriftBinaryClient = new ThriftPing(thriftBinaryPort, true);
                RawSocket socketClient = new RawSocket(socketPort)) {
            long warmupStart = System.nanoTime();
            for (long i = 0; scale.roundTripWarmingUp(i, warmupStart); i++) {
                check(connection.call(Bench.ECHO, payload), SMALL);
                check(thriftClient.echo(payload), SMALL);
                check(thriftBinaryClient.echo(payload), SMALL);
                socketClient.echo(payload, into);
            }
            for (int round = 0; round < scale.roundTripRounds(); round++) {
                for (int i = 0; i < scale.roundTripCallsPerRound(); i++) {
                    long start = System.nanoTime();
                    connection.call(Bench.ECHO, payload);
                    ours.add(System.nanoTime() - start);
                }
                for (int i = 0; i < scale.roundTripCallsPerRound(); i++) {
                    long start = System.nanoTime();
                    thriftClient.echo(payload);
                    thrift.add(System.nanoTime() - start);
                }
                for (int i = 0; i < scale.roundTripCallsPerRound(); i++) {
                    long start = System.nanoTime();
                    thriftBinaryClient.echo(payload);
                    thriftBinary.add(System.nanoTime() - start);
                }
                for (int i = 0; i < scale.roundTripCallsPerRound(); i++) {
                    long start = System.nanoTime();
                    socketClient.echo(payload, into);
                    socket.add(System.nanoTime() - start);
                }
            }
        }
        String calls = ours.size() + " calls";
        double p50ToThrift = (double) ours.median() / thrift.median();
        table.add("2.3", "round trip " + SMALL + " B, p50 (" + calls + ")", us(ours.median()),
                "raw Thrift TThreadPoolServer, TCompactProtocol, p50", us(thrift.median()), ratio(p50ToThrift), "≤ 1.3× Thrift",
                Verdict.of(p50ToThrift <= 1.3));
        table.add("2.3", "round trip " + SMALL + " B, p50", us(ours.median()),
                "raw Thrift TThreadPoolServer, TBinaryProtocol, p50", us(thriftBinary.median()),
                ratio((double) ours.median() / thriftBinary.median()), "(none set)", Verdict.INFO);
        table.add("2.3", "round trip " + SMALL + " B, p50", us(ours.median()),
                "raw socket ping-pong, p50", us(socket.median()), ratio((double) ours.median() / socket.median()),
                "(none set)", Verdict.INFO);
        table.add("2.3", "round trip " + SMALL + " B, p99", us(ours.percentile(99)),
                "raw Thrift TThreadPoolServer, TCompactProtocol, p99", us(thrift.percentile(99)),
                ratio((double) ours.percentile(99) / thrift.percentile(99)), "(none set)", Verdict.INFO);
        table.add("2.3", "round trip " + SMALL + " B, p99", us(ours.percentile(99)),
                "raw socket ping-pong, p99", us(socket.percentile(99)),
                ratio((double) ours.percentile(99) / socket.percentile(99)), "(none set)", Verdict.INFO);
    }

    // ---------------------------------------------------------------- 2.4 throughput

    void throughput() throws Exception {
        byte[] payload = new byte[SMALL];
        for (int window : new int[] {1, 16, 64}) {
            double seconds = scale.throughputSeconds();
            oursPipelined(payload, window, seconds / 2); // warm-up
            socketPipelined(payload, window, seconds / 2);
            double[] ours = new double[scale.throughputRounds()];
            double[] socket = new double[scale.throughputRounds()];
            for (int round = 0; round < ours.length; round++) {
                ours[round] = oursPipelined(payload, window, seconds);
                socket[round] = socketPipelined(payload, window, seconds);
            }
            double oursRate = Samples.median(ours);
            double socketRate = Samples.median(socket);
            boolean targeted = window == 64;
            table.add("2.4", "throughput, " + window + " in flight, one connection (median of " + ours.length + ")",
                    rate(oursRate, "calls/s"), "raw socket, " + window + " in flight, pipelined",
                    rate(socketRate, "msg/s"), ratio(oursRate / socketRate),
                    targeted ? "≥ 100,000 calls/s" : "(none set)",
                    targeted ? Verdict.of(oursRate >= 100_000) : Verdict.INFO);
        }
    }

    /** Calls per second with {@code window} calls in flight, issued by one thread with {@code callAsync}. */
    private double oursPipelined(byte[] payload, int window, double seconds) throws Exception {
        Semaphore permits = new Semaphore(window);
        AtomicLong completed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end && failure.get() == null) {
            permits.acquire();
            connection.callAsync(Bench.ECHO, payload).whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                completed.incrementAndGet();
                permits.release();
            });
        }
        permits.acquire(window);
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IllegalStateException("a call failed during the throughput figure", failure.get());
        }
        return completed.get() / (elapsed / 1e9);
    }

    private double socketPipelined(byte[] payload, int window, double seconds) throws Exception {
        try (RawSocket socket = new RawSocket(socketPort)) {
            return socket.pipelined(payload, window, seconds);
        }
    }

    // ---------------------------------------------------------------- 2.5 bandwidth

    void bandwidth() throws Exception {
        int[] sizes = {1024, 1024 * 1024, 64 * 1024 * 1024};
        String[] names = {"1 KiB", "1 MiB", "64 MiB"};
        try (RawSocket socket = new RawSocket(socketPort)) {
            for (int s = 0; s < sizes.length; s++) {
                byte[] payload = new byte[sizes[s]];
                Arrays.fill(payload, (byte) 0x5a);
                byte[] into = new byte[sizes[s]];
                int minCalls = sizes[s] >= 64 * 1024 * 1024 ? 3 : 10;
                if (scale == Scale.QUICK) {
                    minCalls = 1;
                }
                // Warm-up: the same again, unmeasured.
                oursEchoes(payload, scale.bandwidthSeconds() / 2, minCalls);
                socketEchoes(socket, payload, into, scale.bandwidthSeconds() / 2, minCalls);
                double[] ours = new double[scale.bandwidthRounds()];
                double[] raw = new double[scale.bandwidthRounds()];
                for (int round = 0; round < ours.length; round++) {
                    ours[round] = oursEchoes(payload, scale.bandwidthSeconds(), minCalls);
                    raw[round] = socketEchoes(socket, payload, into, scale.bandwidthSeconds(), minCalls);
                }
                double oursRate = Samples.median(ours);
                double rawRate = Samples.median(raw);
                boolean targeted = sizes[s] == 64 * 1024 * 1024;
                table.add("2.5", "bandwidth, " + names[s] + " echoed (median of " + ours.length + ")",
                        rate(oursRate / 1e6, "MB/s"), "raw socket copy, " + names[s] + " echoed",
                        rate(rawRate / 1e6, "MB/s"), ratio(oursRate / rawRate),
                        targeted ? "≥ 1,000 MB/s" : "(none set)",
                        targeted ? Verdict.of(oursRate >= 1e9) : Verdict.INFO);
            }
        }
    }

    /** Argument bytes per second of blocking echoes, for at least {@code seconds} and {@code minCalls}. */
    private double oursEchoes(byte[] payload, double seconds, int minCalls) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        while (calls < minCalls || System.nanoTime() < end) {
            check(connection.call(Bench.ECHO, payload), payload.length);
            calls++;
        }
        return calls * (double) payload.length / ((System.nanoTime() - start) / 1e9);
    }

    private static double socketEchoes(RawSocket socket, byte[] payload, byte[] into, double seconds, int minCalls)
            throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        while (calls < minCalls || System.nanoTime() < end) {
            socket.echo(payload, into);
            calls++;
        }
        return calls * (double) payload.length / ((System.nanoTime() - start) / 1e9);
    }

    private static void check(byte[] answer, int expectedLength) {
        if (answer.length != expectedLength) {
            throw new IllegalStateException("echo answered " + answer.length + " bytes, not " + expectedLength);
        }
    }
}
