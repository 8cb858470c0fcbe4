package dev.rpcparallel.sample.tour;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The {@code tour} worker type: see {@link Tour}. */
@RpcParallelWorker("tour")
public final class TourWorker implements WorkerPlugin<Void, TourWorker.State, Void, Void> {
    /** Made at the first message, not with the plugin: a worker that logs nothing never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(TourWorker.class);
    }

    /** Shared by every connection to one worker. */
    public static final class State {
        final List<String> remembered = new CopyOnWriteArrayList<>();
        final AtomicLong counter = new AtomicLong(100);
        final AtomicBoolean ticksClosed = new AtomicBoolean();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tour-ticker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public WorkerType<Void, Void> type() {
        return Tour.TYPE;
    }

    @Override
    public State initWorkerState(Void initArg) {
        return new State();
    }

    @Override
    public void defineFunctions(FunctionTable<State, Void> functions) {
        functions
                .rpc(Tour.SQUARE, (call, n) -> n * n)
                .pipe(Tour.COUNTDOWN, (call, n, out) -> {
                    for (long i = n; i >= 1; i--) {
                        out.write(i);
                    }
                })
                .directPipe(Tour.TICKS, (call, none, writer) -> {
                    AtomicLong tick = new AtomicLong();
                    ScheduledFuture<?> ticking = call.workerState().ticker.scheduleAtFixedRate(
                            () -> writer.write(tick.incrementAndGet()), 0, 20, TimeUnit.MILLISECONDS);
                    writer.whenClosed().thenRun(() -> {
                        ticking.cancel(false);
                        call.workerState().ticksClosed.set(true);
                    });
                })
                .rpc(Tour.TICKS_CLOSED, (call, none) -> call.workerState().ticksClosed.get())
                .oneWay(Tour.REMEMBER, (call, word) -> call.workerState().remembered.add(word))
                .rpc(Tour.REMEMBERED, (call, none) -> List.copyOf(call.workerState().remembered))
                .reversePipe(Tour.SUM, (call, query, numbers) -> {
                    long sum = 0;
                    for (long n : numbers) {
                        sum += n;
                    }
                    return sum;
                })
                .state(Tour.COUNTER, (call, increments, out) -> {
                    out.initialState(call.workerState().counter.get());
                    for (long i = 0; i < increments; i++) {
                        out.write(call.workerState().counter.incrementAndGet());
                    }
                })
                .rpc(Tour.LOG, (call, message) -> {
                    Log.LOG.info(message);
                    return null;
                });
    }
}
