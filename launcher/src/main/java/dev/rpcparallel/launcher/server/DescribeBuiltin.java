package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.BuiltinFunctions;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.registry.IdlDescription;
import dev.rpcparallel.launcher.registry.RegisteredFunction;
import dev.rpcparallel.launcher.registry.RegisteredType;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code describe} built-in ({@link BuiltinFunctions#DESCRIBE}): the served worker type, its
 * functions with their ids and signatures in wire terms ({@link IdlDescription}), and the
 * fingerprint to send in a hello. A client that knows no Java learns from it, over a control
 * connection, how to call a function by name. A server without a worker type (a master's
 * registration server, an idle pooled worker) answers an error saying so.
 */
final class DescribeBuiltin {
    private DescribeBuiltin() {}

    /** The answer to the call {@code callId}: a RESULT with the description, or an ERROR. */
    static Frame answer(long callId, Endpoint endpoint, String fingerprint) {
        Optional<RegisteredType> type = endpoint.servedType();
        if (type.isEmpty()) {
            return CallDispatch.error(callId, Messages.RemoteError.protocol(endpoint.name()
                    + " serves no worker type yet, so it has nothing to describe"));
        }
        return new Frame(FrameKind.RESULT, callId, 0, Messages.WORKER_DESCRIPTION.encode(describe(type.get(), fingerprint)));
    }

    static Messages.WorkerDescription describe(RegisteredType type, String fingerprint) {
        return new Messages.WorkerDescription(type.name(), type.id(), fingerprint, type.functions().stream()
                .map(function -> new Messages.FunctionDescription(function.id(), function.name(), kind(function),
                        IdlDescription.signature(function)))
                .toList(), IdlDescription.of(type.type().connectionArgCodec().name()));
    }

    private static String kind(RegisteredFunction function) {
        return function.kind().name().toLowerCase(Locale.ROOT);
    }
}
