package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.MessageTooLargeException;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.spi.transport.Frame;
import java.io.EOFException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The caller's exceptions for what happened to a call on a connection to one worker, or on a
 * worker's link to its master.
 */
final class ClientErrors {
    private final Supplier<WorkerRef> worker;
    private final ServerRole role;

    ClientErrors(Supplier<WorkerRef> worker, ServerRole role) {
        this.worker = worker;
        this.role = role;
    }

    /** The call of {@code label} failed because the connection {@code reason} ({@code "was closed"}, ...). */
    ConnectionException closed(String label, String reason) {
        WorkerRef ref = worker.get();
        return new ConnectionException("Call of " + label + " on " + role.named(ref.name()) + " (" + ref.address()
                + ") failed: the connection " + reason);
    }

    /**
     * How the connection ended, for {@link #closed}: {@code "was closed"} (by this side), or
     * {@code "to it was lost (why)"}, {@code explained} if the loss has an explanation.
     */
    String closure(Throwable cause, Optional<String> explained) {
        if (cause == null) {
            return "was closed";
        }
        return "to it was lost (" + explained.orElseGet(() -> cause instanceof EOFException
                ? "the " + role.noun() + " closed it" : cause.toString()) + ")";
    }

    /** {@code label} could not be sent: its payload is over the maximum message size. */
    MessageTooLargeException tooLarge(String label, IllegalArgumentException e) {
        return new MessageTooLargeException("Cannot send " + label + " to " + role.named(worker.get().name()) + ": "
                + e.getMessage(), e);
    }

    RemoteException remote(Messages.RemoteError error) {
        return new RemoteException(worker.get().name(), error.origin(), error.type(), error.message(),
                error.stackTrace());
    }

    /** The failure an ERROR frame answering {@code label} reports. */
    RuntimeException of(Frame frame, String label) {
        Messages.RemoteError error;
        try {
            error = Messages.REMOTE_ERROR.decode(frame.payload());
        } catch (RuntimeException e) {
            return unreadable(label, e);
        }
        if (error.isLimitError()) {
            return new RpcParallelException(error.message());
        }
        return error.isProtocolError() ? error.refusal(worker.get().name(), label) : remote(error);
    }

    /** The failure an ERROR frame answering a unary call reports (a limit error is refused like the others). */
    RuntimeException ofCall(Frame frame, String label) {
        Messages.RemoteError error;
        try {
            error = Messages.REMOTE_ERROR.decode(frame.payload());
        } catch (RuntimeException e) {
            return unreadable(label, e);
        }
        return error.isProtocolError() ? error.refusal(worker.get().name(), label) : remote(error);
    }

    private RpcParallelException unreadable(String label, RuntimeException e) {
        return new RpcParallelException("Worker '" + worker.get().name() + "' sent an unreadable error for " + label
                + ": " + e, e);
    }

    RpcParallelException unexpected(Frame frame, String label) {
        return new RpcParallelException("Worker '" + worker.get().name() + "' answered " + label
                + " with an unexpected " + frame.kind() + " frame");
    }
}
