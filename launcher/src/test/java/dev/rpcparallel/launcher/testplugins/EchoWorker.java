package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The test worker type {@code echo}: see {@link Echo}. */
@RpcParallelWorker("echo")
public final class EchoWorker implements WorkerPlugin<String, EchoWorker.State, String, String> {

    /** The connection label whose connection state names the thread its init ran on. */
    public static final String THREAD_LABEL = "name-the-init-thread";

    /** Shared by every connection to one worker. */
    public record State(String prefix, AtomicLong counter) {}

    @Override
    public WorkerType<String, String> type() {
        return Echo.TYPE;
    }

    @Override
    public State initWorkerState(String initArg) throws Exception {
        switch (initArg) {
            case "fail-init" -> refuse(initArg);
            case "exit-in-init" -> {
                System.err.println("echo worker: exiting with status 7 during init, on purpose");
                System.err.flush();
                System.exit(7);
            }
            case "sleep-in-init" -> {
                System.err.println("echo worker: sleeping in init, on purpose");
                System.err.flush();
                Thread.sleep(600_000);
            }
            case "fill-heap-in-init" -> fillHeap();
            default -> { }
        }
        return new State(initArg, new AtomicLong());
    }

    /** Allocates until the heap is full: the init fails with an {@link OutOfMemoryError}. */
    private static void fillHeap() {
        List<long[]> held = new ArrayList<>();
        while (true) {
            held.add(new long[1 << 16]);
        }
    }

    private static void refuse(String initArg) {
        throw new IllegalArgumentException("init refused: " + initArg);
    }

    @Override
    public String initConnectionState(String label, State workerState) {
        if ("fail-connect".equals(label)) {
            throw new IllegalStateException("connection refused: " + label);
        }
        if (THREAD_LABEL.equals(label)) {
            return "init ran on " + Thread.currentThread().getName();
        }
        return label == null ? "(no label)" : label;
    }

    @Override
    public void defineFunctions(FunctionTable<State, String> functions) {
        functions
                .rpc(Echo.ECHO, (call, text) -> call.workerState().prefix() + text)
                .rpc(Echo.INCREMENT, (call, by) -> call.workerState().counter().addAndGet(by))
                .rpc(Echo.CONNECTION_LABEL, (call, none) -> call.connectionState())
                .rpc(Echo.FAIL, (call, message) -> {
                    throw new DeliberateFailure(message);
                })
                .rpc(Echo.ADD, (call, pair) -> pair.left() + pair.right())
                .rpc(Echo.PID, (call, none) -> ProcessHandle.current().pid())
                .rpc(Echo.ARGUMENTS, (call, none) ->
                        ProcessHandle.current().info().arguments().map(List::of).orElse(List.of()))
                .rpc(Echo.ECHO_VIA, (call, other) -> {
                    try (Connection connection = Parallel.connect(other, Echo.TYPE, "via " + call.self().name())) {
                        return connection.call(Echo.ECHO, "hop");
                    }
                })
                .rpc(Echo.COUNT_NESTED, (call, nested) -> nested.items().stream()
                        .flatMap(List::stream).mapToLong(List::size).sum())
                .rpc(Echo.REPEAT, (call, length) -> "x".repeat(length))
                .rpc(Echo.HEAP_USED, (call, none) -> {
                    System.gc();
                    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                })
                .oneWay(Echo.NOTE, (call, text) -> call.workerState().counter().addAndGet(text.length()))
                .rpc(Echo.CLASS_SOURCE, (call, className) -> classSource(className));
    }

    /** The path of the jar or directory {@code className} comes from in this JVM, or {@code absent}. */
    public static String classSource(String className) {
        try {
            return java.nio.file.Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString();
        } catch (ClassNotFoundException e) {
            return "absent";
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown by {@link Echo#FAIL}, so tests can find it by name in a remote stack trace. */
    public static final class DeliberateFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliberateFailure(String message) {
            super(message);
        }
    }
}
