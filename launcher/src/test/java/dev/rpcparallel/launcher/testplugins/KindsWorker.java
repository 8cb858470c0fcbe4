package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The test worker type {@code kinds}: see {@link Kinds}. */
@RpcParallelWorker("kinds")
public final class KindsWorker implements WorkerPlugin<Void, KindsWorker.State, Void, Void> {
    /** Its logger, made at the first message: until a function logs, the worker does not start Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(KindsWorker.class);
    }

    /** Shared by every connection to one worker. */
    public static final class State {
        final AtomicBoolean endlessCancelled = new AtomicBoolean();
        final AtomicBoolean ticksClosed = new AtomicBoolean();
        final List<String> notes = new CopyOnWriteArrayList<>();
        final AtomicLong counter = new AtomicLong();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kinds-ticker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Set on a worker's command line, each construction of this plugin says so on stderr, with the pid. */
    public static final String SAY_MADE = "rpcparallel.test.kinds.sayMade";

    public KindsWorker() {
        if (Boolean.getBoolean(SAY_MADE)) {
            System.err.println("kinds plugin made in process " + ProcessHandle.current().pid());
        }
    }

    @Override
    public WorkerType<Void, Void> type() {
        return Kinds.TYPE;
    }

    @Override
    public State initWorkerState(Void initArg) {
        return new State();
    }

    @Override
    public void defineFunctions(FunctionTable<State, Void> functions) {
        functions
                .rpc(Kinds.LENGTH, (call, bytes) -> (long) bytes.length)
                .rpc(Kinds.PING, (call, text) -> text)
                .rpc(Kinds.SLEEP, (call, millis) -> {
                    Thread.sleep(millis);
                    return millis;
                })
                .rpc(Kinds.PAUSE, (call, micros) -> {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
                    return micros;
                })
                .rpc(Kinds.AWAIT_NOTE, (call, note) -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!call.workerState().notes.contains(note)) {
                        if (System.nanoTime() > deadline) {
                            return false;
                        }
                        Thread.sleep(1);
                    }
                    return true;
                })
                .rpc(Kinds.PING_VIA, (call, other) -> {
                    try (Connection connection = Parallel.connect(other)) {
                        return connection.call(Kinds.PING, "via");
                    }
                })
                .pipe(Kinds.NUMBERS, (call, count, out) -> {
                    for (long i = 0; i < count; i++) {
                        out.write(i);
                    }
                })
                .pipe(Kinds.TEXTS, (call, count, out) -> {
                    String padding = "x".repeat(90);
                    for (long i = 0; i < count; i++) {
                        out.write(String.format("%010d", i) + padding);
                    }
                })
                .pipe(Kinds.ENDLESS, (call, none, out) -> {
                    call.workerState().endlessCancelled.set(false);
                    try {
                        for (long i = 0; ; i++) {
                            out.write(i);
                        }
                    } catch (CancellationException e) {
                        call.workerState().endlessCancelled.set(out.isCancelled());
                        throw e;
                    }
                })
                .rpc(Kinds.ENDLESS_CANCELLED, (call, none) -> call.workerState().endlessCancelled.get())
                .pipe(Kinds.FAIL_AFTER, (call, count, out) -> {
                    for (long i = 0; i < count; i++) {
                        out.write(i);
                    }
                    throw new IllegalStateException("failed after " + count + " elements, on purpose");
                })
                .rpc(Kinds.SUM_NUMBERS_OF, (call, other) -> {
                    try (Connection connection = Parallel.connect(other);
                            RemoteStream<Long> numbers = connection.pipe(Kinds.NUMBERS, 1000L)) {
                        return numbers.stream().mapToLong(Long::longValue).sum();
                    }
                })
                .directPipe(Kinds.TICKS, (call, prefix, writer) -> {
                    State state = call.workerState();
                    state.ticksClosed.set(false);
                    AtomicLong tick = new AtomicLong();
                    ScheduledFuture<?> ticking = state.ticker.scheduleAtFixedRate(
                            () -> writer.write(prefix + tick.incrementAndGet()), 0, 10, TimeUnit.MILLISECONDS);
                    writer.whenClosed().thenRun(() -> {
                        ticking.cancel(false);
                        state.ticksClosed.set(writer.isClosed());
                    });
                })
                .rpc(Kinds.TICKS_CLOSED, (call, none) -> call.workerState().ticksClosed.get())
                .directPipe(Kinds.PUSH, (call, count, writer) -> {
                    for (long i = 0; i < count; i++) {
                        writer.write(i);
                    }
                    writer.close();
                })
                .oneWay(Kinds.NOTE, (call, note) -> {
                    if (note.equals("fail")) {
                        throw new IllegalArgumentException("note refused, on purpose");
                    }
                    call.workerState().notes.add(note);
                })
                .rpc(Kinds.NOTES, (call, none) -> List.copyOf(call.workerState().notes))
                .reversePipe(Kinds.SUM, (call, query, updates) -> {
                    long sum = 0;
                    for (long update : updates) {
                        sum += update;
                        if (query.equals("first")) {
                            break;
                        }
                    }
                    return query + ": " + sum;
                })
                .state(Kinds.COUNTER, (call, increments, out) -> {
                    AtomicLong counter = call.workerState().counter;
                    out.initialState(counter.get());
                    for (long i = 0; i < increments; i++) {
                        out.write(counter.incrementAndGet());
                    }
                })
                .rpc(Kinds.LOG, (call, message) -> {
                    Log.LOG.info(message);
                    return null;
                })
                .rpc(Kinds.CHAIN, (call, depth) -> {
                    List<String> arguments = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
                    List<Kinds.Lineage> lineage = new ArrayList<>();
                    lineage.add(new Kinds.Lineage(ProcessHandle.current().pid(), arguments.get(arguments.size() - 1)));
                    if (depth > 1) {
                        WorkerRef child = Parallel.spawn(Kinds.TYPE, null,
                                SpawnOptions.builder().name("chain-" + (depth - 1)).build());
                        try (Connection connection = Parallel.connect(child)) {
                            lineage.addAll(connection.call(Kinds.CHAIN, depth - 1));
                        } finally {
                            Parallel.shutdown(child);
                        }
                    }
                    return lineage;
                });
    }
}
