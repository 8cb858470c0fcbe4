package dev.rpcparallel.benchmarks;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.LauncherRuntime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * rpc-parallel in the peer comparison: a {@code bench} worker spawned, connected and called
 * ({@link Bench#ECHO}); 64 in flight are {@code callAsync} from one thread on one connection.
 * {@link #cold()} spawns with the harness's master ({@code Parallel}, no pool), on the transport
 * its settings choose (unix between the processes of one host, unless the harness names
 * another); {@link #overTcp()} with a master of its own whose settings name the TCP transport
 * ({@code thrift}), for it and its workers alone; {@link #warmPool()} with a master of its own
 * that keeps one worker warm, waiting (untimed) before each start until the pool holds a ready
 * idle worker again.
 */
final class RpcParallelPeer implements Peer {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final long REFILL_TIMEOUT_SECONDS = 120;

    private final String name;
    /** The master of this contender's workers; {@code null} for the harness's ({@code Parallel}). */
    private final LauncherRuntime master;
    /** Whether {@link #master} keeps a warm pool, to be waited for before each start. */
    private final boolean pooled;
    /** The transport of the last worker started (its address's scheme). */
    private volatile String transport = "?";

    private RpcParallelPeer(String name, LauncherRuntime master, boolean pooled) {
        this.name = name;
        this.master = master;
        this.pooled = pooled;
    }

    static RpcParallelPeer cold() {
        return new RpcParallelPeer("rpc-parallel", null, false);
    }

    static RpcParallelPeer overTcp() {
        LauncherRuntime master = new LauncherRuntime();
        master.initMaster(RpcSettings.defaults().withTransport("thrift"));
        return new RpcParallelPeer("rpc-parallel over TCP", master, false);
    }

    static RpcParallelPeer warmPool() {
        LauncherRuntime master = new LauncherRuntime();
        master.keepWarm(1, SpawnOptions.defaults());
        return new RpcParallelPeer("rpc-parallel, warm pool", master, true);
    }

    /** The transport its last worker was reached on: {@code unix}, {@code thrift} (TCP), ... */
    String transport() {
        return transport;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Started start() throws Exception {
        if (pooled) {
            awaitIdleWorker();
        }
        long start = System.nanoTime();
        SpawnOptions options = SpawnOptions.builder().name("peer-" + NAMES.incrementAndGet()).build();
        WorkerRef worker = master != null ? master.spawn(Bench.TYPE, null, options)
                : Parallel.spawn(Bench.TYPE, null, options);
        Connection connection = master != null ? master.connect(worker, null) : Parallel.connect(worker);
        byte[] answer = connection.call(Bench.ECHO, new byte[CallFigures.SMALL]);
        long ready = System.nanoTime() - start;
        BlockingEchoSession.check(answer, CallFigures.SMALL);
        String address = worker.address();
        transport = address.substring(0, Math.max(0, address.indexOf(':')));
        return new Started(new Session(worker, connection, connection.call(Bench.PID, null)), ready);
    }

    private void awaitIdleWorker() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REFILL_TIMEOUT_SECONDS);
        while (master.warmProcesses().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the warm pool had no ready worker within " + REFILL_TIMEOUT_SECONDS
                        + " s; see the pool's warnings above");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        if (master != null) {
            master.shutdownAll();
        }
    }

    private final class Session extends BlockingEchoSession {
        private final WorkerRef worker;
        private final Connection connection;
        private final long pid;

        Session(WorkerRef worker, Connection connection, long pid) {
            this.worker = worker;
            this.connection = connection;
            this.pid = pid;
        }

        @Override
        byte[] echo(byte[] payload) {
            return connection.call(Bench.ECHO, payload);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public double callsPerSecond(byte[] payload, int inFlight, double seconds) throws Exception {
            return asyncRate((bytes, done) -> connection.callAsync(Bench.ECHO, bytes).whenComplete(done::accept),
                    payload, inFlight, seconds);
        }

        @Override
        public void close() throws Exception {
            connection.close();
            if (master != null) {
                master.shutdown(worker);
            } else {
                Parallel.shutdown(worker);
            }
            SpawnFigures.awaitExit(pid);
        }
    }
}
