package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.CallContext;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/** The test worker type {@code deadlines}: see {@link Deadlines}. */
@RpcParallelWorker("deadlines")
public final class DeadlinesWorker implements WorkerPlugin<Void, Map<String, String>, Void, Void> {

    @Override
    public WorkerType<Void, Void> type() {
        return Deadlines.TYPE;
    }

    @Override
    public Map<String, String> initWorkerState(Void initArg) {
        return new ConcurrentHashMap<>();
    }

    private static long remainingMicros(CallContext<?, ?> call) {
        return call.timeRemaining().map(left -> left.toNanos() / 1000).orElse(-1L);
    }

    @Override
    public void defineFunctions(FunctionTable<Map<String, String>, Void> functions) {
        functions
                .rpc(Deadlines.BLOCK, (call, key) -> {
                    call.workerState().put(key, "started");
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        call.workerState().put(key, "interrupted, cancelled=" + call.isCancelled()
                                + ", deadline=" + call.deadline().isPresent());
                        throw e;
                    }
                    call.workerState().put(key, "slept");
                    return "slept";
                })
                .rpc(Deadlines.SEEN, (call, key) -> call.workerState().getOrDefault(key, ""))
                .rpc(Deadlines.REMAINING, (call, none) -> remainingMicros(call))
                .rpc(Deadlines.REMAINING_VIA, (call, other) -> {
                    try (Connection connection = Parallel.connect(other)) {
                        long outer = remainingMicros(call);
                        long inner = connection.call(Deadlines.REMAINING, null);
                        return List.of(outer, inner);
                    }
                })
                .rpc(Deadlines.BLOCK_VIA, (call, target) -> {
                    try (Connection connection = Parallel.connect(target.worker())) {
                        return connection.call(Deadlines.BLOCK, target.key());
                    }
                })
                .rpc(Deadlines.PING, (call, text) -> text)
                .pipe(Deadlines.PRODUCE, (call, key, out) -> {
                    long produced = 0;
                    try {
                        while (true) {
                            out.write(produced);
                            produced++;
                            if (produced % 64 == 0) {
                                call.workerState().put(key, "producing " + produced);
                            }
                        }
                    } catch (CancellationException e) {
                        call.workerState().put(key, "produced " + produced + ", stopped: cancelled, context cancelled="
                                + call.isCancelled());
                        throw e;
                    }
                })
                .directPipe(Deadlines.TICKS, (call, key, writer) -> {
                    Thread ticker = new Thread(() -> {
                        for (long tick = 0; !writer.isClosed(); tick++) {
                            writer.write(tick);
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "deadlines-ticker-" + key);
                    ticker.setDaemon(true);
                    ticker.start();
                    writer.whenClosed().thenRun(() -> call.workerState().put(key, "ticks closed: writer closed="
                            + writer.isClosed() + ", context cancelled=" + call.isCancelled()));
                })
                .reversePipe(Deadlines.COLLECT, (call, key, updates) -> {
                    long sum = 0;
                    long count = 0;
                    try {
                        for (long update : updates) {
                            sum += update;
                            count++;
                            call.workerState().put(key, "collected " + count);
                        }
                    } catch (RuntimeException e) {
                        call.workerState().put(key, "updates stopped after " + count + ": " + e.getClass().getName()
                                + ", context cancelled=" + call.isCancelled());
                        throw e;
                    }
                    return sum;
                })
                .directPipe(Deadlines.PUSH, (call, count, writer) -> {
                    for (long i = 0; i < count; i++) {
                        writer.write(i);
                    }
                    writer.close();
                });
    }
}
