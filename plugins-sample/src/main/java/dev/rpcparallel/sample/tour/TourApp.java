package dev.rpcparallel.sample.tour;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.DirectPipeId;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteState;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.sample.SampleCommands;
import dev.rpcparallel.spi.MasterApp;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpc-parallel run tour}: calls one function of every kind, and the built-ins, on two
 * real workers and prints one line per kind with what it observed. A demo and a smoke test:
 * it exits non-zero if anything is not as expected.
 */
public final class TourApp implements MasterApp {
    private static final long TIMEOUT_SECONDS = 30;

    @Override
    public String name() {
        return "tour";
    }

    @Override
    public String description() {
        return "calls a function of every kind (rpc, pipe, direct pipe, one-way, reverse pipe, state) and the"
                + " built-ins (close-server, log) on two workers, one line each";
    }

    @Override
    public int run(List<String> args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return SampleCommands.run("tour", new Options(), out, err, args);
    }

    @Command(
            name = "tour",
            usageHelpAutoWidth = true,
            description = {
                "Calls a function of every kind (rpc, pipe, direct pipe, one-way, reverse pipe, state) and the"
                        + " built-ins (close-server, log) on two workers, and prints one line for each with what"
                        + " it observed. Takes no arguments.",
            },
            footer = {"", "Exit codes: 0 success, 1 failure, 2 bad arguments."})
    static final class Options implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Override
        public Integer call() throws Exception {
            tour(System.out);
            return CommandLine.ExitCode.OK;
        }
    }

    private static void tour(PrintStream out) throws Exception {
        WorkerRef worker = Parallel.spawn(Tour.TYPE, null, SpawnOptions.builder().name("tour-1").build());
        WorkerRef closing = Parallel.spawn(Tour.TYPE, null, SpawnOptions.builder().name("tour-2").build());
        try (Connection connection = Parallel.connect(worker)) {
            out.println("rpc: square(12) = " + check(connection.call(Tour.SQUARE, 12L), 144L));

            try (RemoteStream<Long> countdown = connection.pipe(Tour.COUNTDOWN, 5L)) {
                List<Long> numbers = countdown.stream().toList();
                out.println("pipe: countdown(5) streamed " + check(numbers, List.of(5L, 4L, 3L, 2L, 1L)));
            }

            List<Long> ticks = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            DirectPipeId id = connection.directPipe(Tour.TICKS, null, new DirectPipeCallback<Long>() {
                @Override
                public void onElement(Long tick) {
                    ticks.add(tick);
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            waitUntil(() -> ticks.size() >= 3, "three ticks");
            connection.abort(id);
            Throwable why = closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            waitUntil(() -> connection.call(Tour.TICKS_CLOSED, null), "the worker to see the abort");
            out.println("direct pipe: ticks " + ticks.subList(0, 3) + "..., aborted by id " + id.value()
                    + "; callback closed with " + why.getClass().getSimpleName() + ", the worker's writer saw the close");

            connection.oneWay(Tour.REMEMBER, "hello");
            waitUntil(() -> connection.call(Tour.REMEMBERED, null).contains("hello"), "the one-way call to run");
            out.println("one-way: remember(\"hello\") sent without waiting; the worker now remembers "
                    + connection.call(Tour.REMEMBERED, null));

            long sum = connection.reversePipe(Tour.SUM, "1..100", LongStream.rangeClosed(1, 100).boxed().iterator());
            out.println("reverse pipe: streamed 1..100 to the worker, which answered sum = " + check(sum, 5050L));

            try (RemoteState<Long, Long> counter = connection.state(Tour.COUNTER, 3L)) {
                long initial = counter.initialState();
                List<Long> updates = counter.updates().stream().toList();
                out.println("state: counter starts at " + initial + ", then updates "
                        + check(updates, List.of(initial + 1, initial + 2, initial + 3)));
            }
        }

        try (Connection open = Parallel.connect(closing)) {
            open.closeServer();
            String refused;
            try (Connection refusedConnection = Parallel.connect(closing)) {
                throw new IllegalStateException("worker 'tour-2' accepted a connection after close-server");
            } catch (ConnectionException e) {
                refused = "refused";
            }
            out.println("close-server: a new connection is " + refused + "; the open one still answers square(3) = "
                    + check(open.call(Tour.SQUARE, 3L), 9L));
            open.shutdownWorker(); // a new (control) connection could not reach it any more
        }

        try (Connection connection = Parallel.connect(worker);
                RemoteStream<LogEvent> first = connection.logs();
                RemoteStream<LogEvent> second = connection.logs()) {
            connection.call(Tour.LOG, "hello from the tour");
            LogEvent a = first.iterator().next();
            LogEvent b = second.iterator().next();
            out.println("log: two subscribers each received " + a.level() + " \"" + check(a.message(), b.message())
                    + "\" from " + a.logger().substring(a.logger().lastIndexOf('.') + 1));
        }
        Parallel.shutdown(worker);
    }

    private static <T> T check(T actual, T expected) {
        if (!actual.equals(expected)) {
            throw new IllegalStateException("expected " + expected + " but the worker answered " + actual);
        }
        return actual;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }
}
