package dev.rpcparallel.benchmarks;

import static dev.rpcparallel.benchmarks.ResultTable.rate;
import static dev.rpcparallel.benchmarks.ResultTable.ratio;
import static dev.rpcparallel.benchmarks.ResultTable.us;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.benchmarks.BaselineClients.ThriftPing;
import dev.rpcparallel.benchmarks.BlockingEchoSession.Caller;
import dev.rpcparallel.benchmarks.ResultTable.Verdict;
import dev.rpcparallel.benchmarks.thrift.Ping;
import dev.rpcparallel.thrift.ThriftServices;
import java.nio.ByteBuffer;

/**
 * 2.9 Thrift services: the {@code Ping} service called through its generated {@code Ping.Iface}
 * on a connection to a {@code bench-ping} worker, against {@link Bench#ECHO} (an
 * {@code RpcFunction} with the same 32-byte payload) on a {@code bench} worker, and, at 16 calls
 * in flight, against plain Thrift: the generated {@code Ping.Client} ({@code TServiceClient}),
 * one connection per calling thread, to the {@code TThreadPoolServer} of {@link BaselineServers}
 * (and, for the share of the generated interface in it, against the {@code RpcFunction} there).
 * Rounds of the contenders alternate.
 */
final class ThriftServiceFigure {
    private static final int IN_FLIGHT = 16;

    private ThriftServiceFigure() {}

    static void run(Scale scale, ResultTable table, int thriftPort) throws Exception {
        WorkerRef pingWorker = Parallel.spawn(PingServiceWorker.TYPE.type(), null,
                SpawnOptions.builder().name("bench-ping").build());
        WorkerRef benchWorker = Parallel.spawn(Bench.TYPE, null, SpawnOptions.builder().name("bench-rpc").build());
        try (Connection pingConnection = Parallel.connect(pingWorker);
                Connection benchConnection = Parallel.connect(benchWorker)) {
            Ping.Iface ping = ThriftServices.client(pingConnection, Ping.Iface.class);
            roundTrip(scale, table, ping, benchConnection);
            inFlight(scale, table, ping, benchConnection, thriftPort);
        } finally {
            Parallel.shutdown(pingWorker);
            Parallel.shutdown(benchWorker);
        }
    }

    private static void roundTrip(Scale scale, ResultTable table, Ping.Iface ping, Connection bench) throws Exception {
        byte[] payload = new byte[CallFigures.SMALL];
        Samples generated = new Samples();
        Samples function = new Samples();
        long warmupStart = System.nanoTime();
        for (long i = 0; scale.roundTripWarmingUp(i, warmupStart); i++) {
            echo(ping, payload);
            BlockingEchoSession.check(bench.call(Bench.ECHO, payload), payload.length);
        }
        for (int round = 0; round < scale.roundTripRounds(); round++) {
            for (int i = 0; i < scale.roundTripCallsPerRound(); i++) {
                long start = System.nanoTime();
                echo(ping, payload);
                generated.add(System.nanoTime() - start);
            }
            for (int i = 0; i < scale.roundTripCallsPerRound(); i++) {
                long start = System.nanoTime();
                bench.call(Bench.ECHO, payload);
                function.add(System.nanoTime() - start);
            }
        }
        double p50 = (double) generated.median() / function.median();
        table.add("2.9", "Thrift service, Ping.Iface echo " + CallFigures.SMALL + " B, p50 (" + generated.size()
                        + " calls)", us(generated.median()), "RpcFunction echo, same payload, p50",
                us(function.median()), ratio(p50), "≤ 1.1× RpcFunction", Verdict.of(p50 <= 1.1));
    }

    private static void inFlight(Scale scale, ResultTable table, Ping.Iface ping, Connection bench, int thriftPort)
            throws Exception {
        byte[] payload = new byte[CallFigures.SMALL];
        double seconds = scale.throughputSeconds();
        BlockingEchoSession.CallerFactory shared = () -> (Caller) bytes -> echo(ping, bytes);
        BlockingEchoSession.CallerFactory function = () -> (Caller) bytes -> bench.call(Bench.ECHO, bytes);
        BlockingEchoSession.CallerFactory ownConnection = () -> {
            ThriftPing own = new ThriftPing(thriftPort, false);
            return new Caller() {
                @Override
                public byte[] echo(byte[] bytes) throws Exception {
                    return own.echo(bytes);
                }

                @Override
                public void close() {
                    own.close();
                }
            };
        };
        BlockingEchoSession.threadedRate(shared, payload, IN_FLIGHT, seconds / 2); // warm-up
        BlockingEchoSession.threadedRate(ownConnection, payload, IN_FLIGHT, seconds / 2);
        BlockingEchoSession.threadedRate(function, payload, IN_FLIGHT, seconds / 2);
        double[] ours = new double[scale.throughputRounds()];
        double[] plain = new double[scale.throughputRounds()];
        double[] functions = new double[scale.throughputRounds()];
        for (int round = 0; round < ours.length; round++) {
            ours[round] = BlockingEchoSession.threadedRate(shared, payload, IN_FLIGHT, seconds);
            plain[round] = BlockingEchoSession.threadedRate(ownConnection, payload, IN_FLIGHT, seconds);
            functions[round] = BlockingEchoSession.threadedRate(function, payload, IN_FLIGHT, seconds);
        }
        double oursRate = Samples.median(ours);
        double plainRate = Samples.median(plain);
        double functionRate = Samples.median(functions);
        table.add("2.9", "Thrift service, " + IN_FLIGHT + " threads on one connection through Ping.Iface (median of "
                        + ours.length + ")", rate(oursRate, "calls/s"),
                "plain Thrift Ping.Client, " + IN_FLIGHT + " threads, a connection each, TThreadPoolServer",
                rate(plainRate, "calls/s"), ratio(oursRate / plainRate), "faster than plain Thrift",
                Verdict.of(oursRate > plainRate));
        table.add("2.9", "Thrift service, " + IN_FLIGHT + " threads on one connection through Ping.Iface",
                rate(oursRate, "calls/s"), "RpcFunction echo, " + IN_FLIGHT + " threads on one connection",
                rate(functionRate, "calls/s"), ratio(oursRate / functionRate), "(none set)", Verdict.INFO);
    }

    private static byte[] echo(Ping.Iface ping, byte[] payload) throws Exception {
        ByteBuffer answer = ping.echo(ByteBuffer.wrap(payload));
        byte[] bytes = new byte[answer.remaining()];
        answer.get(bytes);
        BlockingEchoSession.check(bytes, payload.length);
        return bytes;
    }
}
