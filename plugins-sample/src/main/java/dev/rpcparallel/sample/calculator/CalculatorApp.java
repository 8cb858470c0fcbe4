package dev.rpcparallel.sample.calculator;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.sample.SampleCommands;
import dev.rpcparallel.sample.calculator.thrift.Calculator;
import dev.rpcparallel.sample.calculator.thrift.InvalidOperation;
import dev.rpcparallel.sample.calculator.thrift.Operation;
import dev.rpcparallel.sample.calculator.thrift.Work;
import dev.rpcparallel.spi.MasterApp;
import dev.rpcparallel.thrift.ThriftServices;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpc-parallel run calculator}: the Thrift service {@code Calculator} as a worker type.
 * Spawns two {@code calculator} workers, calls them through the generated
 * {@code Calculator.Iface} from several threads at once (each connection shared by all of
 * them), shows a declared exception ({@code InvalidOperation}) arriving as itself, a call
 * through the generated {@code FutureIface}, and a oneway call. Exits non-zero if an answer is
 * wrong.
 */
public final class CalculatorApp implements MasterApp {
    private static final long TIMEOUT_SECONDS = 60;

    @Override
    public String name() {
        return "calculator";
    }

    @Override
    public String description() {
        return "calls the Thrift service Calculator on two workers through its generated interface, from"
                + " several threads, and shows a declared exception";
    }

    @Override
    public int run(List<String> args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return SampleCommands.run("calculator", new Options(out), out, err, args);
    }

    @Command(
            name = "calculator",
            usageHelpAutoWidth = true,
            description = {
                "Spawns two workers serving the Thrift service Calculator (calculator.thrift), calls them through"
                        + " the generated Calculator.Iface from several threads at once, and shows a declared"
                        + " exception (InvalidOperation), a call through Calculator.FutureIface and a oneway call.",
            },
            footer = {"", "Exit codes: 0 success, 1 failure, 2 bad arguments."})
    static final class Options implements Callable<Integer> {
        private final PrintWriter out;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--threads", defaultValue = "8", paramLabel = "N",
                description = "Threads calling the workers at once (1 to 64; default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--calls", defaultValue = "200", paramLabel = "N",
                description = "Calls per thread (1 to 100000; default: ${DEFAULT-VALUE}).")
        int calls;

        Options(PrintWriter out) {
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            if (threads < 1 || threads > 64 || calls < 1 || calls > 100_000) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--threads must be 1 to 64 and --calls 1 to 100000, not " + threads + " and " + calls);
            }
            calculate(out, threads, calls);
            return CommandLine.ExitCode.OK;
        }
    }

    private static void calculate(PrintWriter out, int threads, int calls) throws Exception {
        List<WorkerRef> workers = List.of(
                Parallel.spawn(CalculatorService.TYPE.type(), null, SpawnOptions.builder().name("calculator-1").build()),
                Parallel.spawn(CalculatorService.TYPE.type(), null, SpawnOptions.builder().name("calculator-2").build()));
        out.println("spawned 2 workers serving " + CalculatorService.TYPE.service());
        try (Connection first = Parallel.connect(workers.get(0));
                Connection second = Parallel.connect(workers.get(1))) {
            List<Calculator.Iface> calculators = List.of(
                    ThriftServices.client(first, Calculator.Iface.class),
                    ThriftServices.client(second, Calculator.Iface.class));

            long wrong = callFromThreads(calculators, threads, calls);
            if (wrong != 0) {
                throw new IllegalStateException(wrong + " of " + threads * calls + " answers were wrong");
            }
            out.println("calculate: " + threads + " threads made " + threads * calls
                    + " calls through Calculator.Iface, shared by all threads on 2 connections: every answer right");

            try {
                calculators.get(0).calculate(1, new Work(1, 0, Operation.DIVIDE));
                throw new IllegalStateException("calculate(1 / 0) did not fail");
            } catch (InvalidOperation e) {
                out.println("declared exception: calculate(1 / 0) threw InvalidOperation(whatOp=" + e.getWhatOp()
                        + ", why=\"" + e.getWhy() + "\")");
            }

            Calculator.FutureIface futures = ThriftServices.futureClient(second, Calculator.FutureIface.class);
            int product = futures.calculate(2, new Work(6, 7, Operation.MULTIPLY)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            out.println("future: calculate(6 * 7) through Calculator.FutureIface = " + check(product, 42));

            calculators.get(1).note("hello from the calculator app");
            long answered = calculators.get(0).calculations() + calculators.get(1).calculations();
            out.println("oneway: note(...) sent without waiting; the two workers answered " + answered
                    + " calculate calls");
            // The Python client's call is shown here when Python 3 and python3-thrift are there.
        }
        for (WorkerRef worker : workers) {
            Parallel.shutdown(worker);
        }
    }

    /**
     * {@code threads} threads each make {@code calls} calls of {@code calculate}, alternating
     * between the workers; the number of wrong answers.
     */
    private static long callFromThreads(List<Calculator.Iface> calculators, int threads, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    long wrong = 0;
                    for (int i = 0; i < calls; i++) {
                        Calculator.Iface calculator = calculators.get((thread + i) % calculators.size());
                        int a = thread * 1000 + i;
                        if (calculator.calculate(i, new Work(a, i, Operation.SUBTRACT)) != a - i
                                || calculator.add(a, i) != a + i) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            long wrong = 0;
            for (Future<Long> result : results) {
                wrong += result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return wrong;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int check(int actual, int expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but the worker answered " + actual);
        }
        return actual;
    }
}
