package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.OneWayFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.OneWayImplementation;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A one-way function bound to its implementation. Nothing goes back: an argument that cannot be
 * decoded is the caller's fault and is logged; what the implementation throws is the worker's
 * failure, reported through {@link WorkerFailures}.
 */
final class OneWayMethod<A> extends ServerMethod.NoAnswer {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(WorkerEndpoint.class);
    }

    private final OneWayFunction<A> function;
    private final OneWayImplementation<Object, Object, A> implementation;
    private final Contexts contexts;

    OneWayMethod(OneWayFunction<A> function, OneWayImplementation<Object, Object, A> implementation,
            Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
    }

    @Override
    public void run(byte[] arg, Object connectionState) {
        A decoded;
        try {
            decoded = Payloads.decode(function.argCodec(), arg, "the argument", function.name(), null);
        } catch (CodecException e) {
            // The caller sent bytes that are not an argument: its fault, not a failure of this
            // worker, and there is no call to answer.
            Log.LOG.warn("{}: one-way call of '{}' dropped: {}", contexts.name(), function.name(), e.getMessage());
            return;
        }
        try {
            implementation.run(contexts.context(connectionState), decoded);
        } catch (Throwable e) {
            WorkerFailures.report(contexts.name() + ", one-way function '" + function.name() + "'", e);
        }
    }
}
