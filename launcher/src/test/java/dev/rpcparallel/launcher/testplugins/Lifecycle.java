package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The test worker type {@code lifecycle}: functions that sleep, fail later, print, exit and tell about the process. */
@RpcParallelWorker("lifecycle")
public final class Lifecycle implements WorkerPlugin<Void, Void, Void, Void> {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("lifecycle", Codecs.none(), Codecs.none());

    /** Sleeps this many milliseconds, then returns them. */
    public static final RpcFunction<Long, Long> SLEEP = RpcFunction.of("sleep", Codecs.int64(), Codecs.int64());
    /** How many {@link #SLEEP} calls are sleeping in this worker now: shows that calls have arrived. */
    public static final RpcFunction<Void, Integer> SLEEPING = RpcFunction.of("sleeping", Codecs.none(), Codecs.int32());
    /** The value of a system property in the worker, or {@code "(unset)"}. */
    public static final RpcFunction<String, String> PROPERTY = RpcFunction.of("property", Codecs.string(), Codecs.string());
    /** Returns at once; a background thread then throws an IllegalStateException with this message. */
    public static final RpcFunction<String, Void> THROW_LATER = RpcFunction.of("throwLater", Codecs.string(), Codecs.none());
    public static final RpcFunction<String, String> ENV = RpcFunction.of("env", Codecs.string(), Codecs.string());
    public static final RpcFunction<Void, String> CWD = RpcFunction.of("cwd", Codecs.none(), Codecs.string());
    public static final RpcFunction<Void, String> SETTINGS = RpcFunction.of("settings", Codecs.none(), Codecs.string());
    /** Prints {@code out: TEXT} to stdout and {@code err: TEXT} to stderr, without flushing. */
    public static final RpcFunction<String, Void> PRINT = RpcFunction.of("print", Codecs.string(), Codecs.none());
    /** Prints 1,000 numbered lines to stdout without a flush, then exits with the status given, after replying. */
    public static final RpcFunction<Integer, Void> PRINT_AND_EXIT = RpcFunction.of("printAndExit", Codecs.int32(), Codecs.none());
    public static final RpcFunction<Void, List<String>> JVM_ARGS =
            RpcFunction.of("jvmArgs", Codecs.none(), Codecs.list(Codecs.string()));
    public static final RpcFunction<Void, Long> PID = RpcFunction.of("pid", Codecs.none(), Codecs.int64());

    /**
     * A system property naming a directory: when set in a worker, its state init writes a file
     * {@code init-PID} there (shows which JVMs ran a state init).
     */
    public static final String INIT_MARKER_DIRECTORY = "lifecycle.init.markers";
    /** A system property: when set in a worker, its state init takes this many milliseconds before its marker. */
    public static final String INIT_MILLIS = "lifecycle.init.millis";

    private static final AtomicInteger SLEEPERS = new AtomicInteger();

    @Override
    public Void initWorkerState(Void initArg) throws Exception {
        String directory = System.getProperty(INIT_MARKER_DIRECTORY);
        long millis = Long.getLong(INIT_MILLIS, 0);
        if (millis > 0) {
            Thread.sleep(millis); // a slow state init: the worker registers only after it
        }
        if (directory != null) {
            InitMarker.write(directory);
        }
        return null;
    }

    /** Loaded only by a state init that writes its marker. */
    public static final class InitMarker {
        private InitMarker() {}

        static void write(String directory) throws java.io.IOException {
            java.nio.file.Files.writeString(java.nio.file.Path.of(directory, "init-" + ProcessHandle.current().pid()),
                    "state init ran");
        }
    }

    @Override
    public WorkerType<Void, Void> type() {
        return TYPE;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions
                .rpc(SLEEP, (call, millis) -> {
                    SLEEPERS.incrementAndGet();
                    try {
                        Thread.sleep(millis);
                    } finally {
                        SLEEPERS.decrementAndGet();
                    }
                    return millis;
                })
                .rpc(SLEEPING, (call, none) -> SLEEPERS.get())
                .rpc(PROPERTY, (call, name) -> System.getProperty(name, "(unset)"))
                .rpc(THROW_LATER, (call, message) -> {
                    Thread thread = new Thread(() -> failInBackground(message), "background-failure");
                    thread.start();
                    return null;
                })
                .rpc(ENV, (call, name) -> System.getenv(name))
                .rpc(CWD, (call, none) -> System.getProperty("user.dir"))
                .rpc(SETTINGS, (call, none) -> Parallel.settings().toString())
                .rpc(PRINT, (call, text) -> {
                    System.out.print("out: " + text + "\n");
                    System.err.print("err: " + text + "\n");
                    return null;
                })
                .rpc(PRINT_AND_EXIT, (call, status) -> {
                    for (int i = 1; i <= 1000; i++) {
                        System.out.print("line " + i + "\n");
                    }
                    Thread exit = new Thread(() -> System.exit(status), "exit");
                    exit.start();
                    return null;
                })
                .rpc(JVM_ARGS, (call, none) -> ManagementFactory.getRuntimeMXBean().getInputArguments())
                .rpc(PID, (call, none) -> ProcessHandle.current().pid());
    }

    private static void failInBackground(String message) {
        throw new IllegalStateException(message);
    }
}
