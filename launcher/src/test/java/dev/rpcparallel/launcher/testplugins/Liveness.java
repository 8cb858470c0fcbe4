package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The test worker type {@code liveness}, for the tests of faults that are not deaths: functions
 * that exhaust this process's file descriptors, sleep and stream, and a state init that can be
 * made to hang.
 *
 * <p>Its class initialiser is slow on demand: when the system property
 * {@value #SLOW_LOAD_MARKER} names a file, a worker loading this plugin (a worker of this type,
 * or one that loads its whole registry) creates that file, then sleeps {@value #SLOW_LOAD_MILLIS}
 * milliseconds (a plugin that takes long to load). No other process sets that property.
 */
@RpcParallelWorker("liveness")
public final class Liveness implements WorkerPlugin<String, Void, Void, Void> {
    /** The file a slow-loading plugin creates as it starts its long class initialisation. */
    public static final String SLOW_LOAD_MARKER = "rpcparallel.test.slowLoadMarker";
    /** How long the slow class initialisation sleeps, in milliseconds. */
    public static final String SLOW_LOAD_MILLIS = "rpcparallel.test.slowLoadMillis";

    static {
        String marker = System.getProperty(SLOW_LOAD_MARKER);
        if (marker != null) {
            try {
                Files.writeString(Path.of(marker), Long.toString(ProcessHandle.current().pid()));
                Thread.sleep(Long.getLong(SLOW_LOAD_MILLIS, 60_000L));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Its init argument is empty, or the path of a file that its state init creates (holding the
     * worker's pid) before it sleeps ten minutes (a master can die during that init).
     */
    public static final WorkerType<String, Void> TYPE = WorkerType.of("liveness", Codecs.string(), Codecs.none());

    /**
     * Opens {@code /dev/null} until this process is out of file descriptors, holds them all for
     * the milliseconds given, closes them and returns how many it opened. Fails if it opened
     * {@value #MAX_FILES} without reaching the limit (the process was not given a low one).
     */
    public static final RpcFunction<Long, Integer> EXHAUST_FILES =
            RpcFunction.of("exhaustFiles", Codecs.int64(), Codecs.int32());
    public static final RpcFunction<Void, Long> PID = RpcFunction.of("pid", Codecs.none(), Codecs.int64());
    /** Sleeps this many milliseconds, then returns them. */
    public static final RpcFunction<Long, Long> SLEEP = RpcFunction.of("sleep", Codecs.int64(), Codecs.int64());
    /** 0, 1, 2, ... one every 50 ms, until cancelled. */
    public static final PipeFunction<Void, Long> TICKS = PipeFunction.of("ticks", Codecs.none(), Codecs.int64());

    private static final int MAX_FILES = 10_000;

    @Override
    public WorkerType<String, Void> type() {
        return TYPE;
    }

    @Override
    public Void initWorkerState(String initArg) throws Exception {
        if (!initArg.isEmpty()) {
            Files.writeString(Path.of(initArg), Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(600_000);
        }
        return null;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions
                .rpc(EXHAUST_FILES, (call, holdMillis) -> exhaustFiles(holdMillis))
                .rpc(PID, (call, none) -> ProcessHandle.current().pid())
                .rpc(SLEEP, (call, millis) -> {
                    Thread.sleep(millis);
                    return millis;
                })
                .pipe(TICKS, (call, none, out) -> {
                    for (long i = 0; ; i++) {
                        out.write(i);
                        Thread.sleep(50);
                    }
                });
    }

    private static int exhaustFiles(long holdMillis) throws Exception {
        List<InputStream> open = new ArrayList<>();
        try {
            while (open.size() < MAX_FILES) {
                try {
                    open.add(new FileInputStream("/dev/null"));
                } catch (IOException e) {
                    if (!String.valueOf(e.getMessage()).contains("Too many open files")) {
                        throw e;
                    }
                    Thread.sleep(holdMillis);
                    return open.size();
                }
            }
            throw new IllegalStateException("opened " + MAX_FILES + " files without reaching the limit");
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
    }
}
