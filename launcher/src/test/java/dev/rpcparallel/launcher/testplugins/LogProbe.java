package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The test worker type {@code log-probe}: logs a WARN through {@code log4j-api} (as the
 * libraries do) and one through SLF4J, under a logger named as libthrift's are (as libthrift
 * does), so that a test sees where each ends up.
 */
@RpcParallelWorker("log-probe")
public final class LogProbe implements WorkerPlugin<Void, Void, Void, Void> {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("log-probe", Codecs.none(), Codecs.none());
    /** The SLF4J logger's name: libthrift's package. */
    public static final String SLF4J_LOGGER = "org.apache.thrift.LogProbe";

    /** Logs {@code "log4j-api: TEXT"} and {@code "slf4j: TEXT"} at WARN. */
    public static final RpcFunction<String, Void> WARN = RpcFunction.of("warn", Codecs.string(), Codecs.none());

    private static final Logger LOG = LogManager.getLogger(LogProbe.class);

    @Override
    public WorkerType<Void, Void> type() {
        return TYPE;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions.rpc(WARN, (call, text) -> {
            LOG.warn("log4j-api: {}", text);
            org.slf4j.LoggerFactory.getLogger(SLF4J_LOGGER).warn("slf4j: {}", text);
            return null;
        });
    }
}
