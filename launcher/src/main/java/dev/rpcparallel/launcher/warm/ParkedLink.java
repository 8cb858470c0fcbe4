package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import dev.rpcparallel.launcher.protocol.SessionContext;

/**
 * The master's link to an idle worker of its warm pool: opened and authenticated while the
 * worker waits, then adopted by the first connect after the worker's handover, which only runs
 * the connection-state init on it. Taking the handshake out of that connect is all it is for:
 * a link that broke meanwhile is simply not adopted, and the connect opens a new one.
 */
public final class ParkedLink implements AutoCloseable {
    private final ClientConnection connection;

    private ParkedLink(ClientConnection connection) {
        this.connection = connection;
    }

    /**
     * Opens a link to the idle worker {@code pooled} (known by its pool id).
     *
     * @throws ConnectionException if it cannot be opened
     */
    public static ParkedLink open(SessionContext context, WorkerRef pooled) {
        return new ParkedLink(ClientConnection.openDeferred(context, pooled));
    }

    /** The worker the link was opened to: the pooled worker, until adopted. */
    public WorkerRef worker() {
        return connection.worker();
    }

    /**
     * Makes the link the connection to {@code assigned}, the worker it became, with its
     * connection argument.
     *
     * @return the connection; {@code null} if the link broke while parked (connect afresh)
     * @throws ConnectionException if the worker refused it or its connection-state init threw
     */
    public ClientConnection adopt(WorkerRef assigned, byte[] connectionArg, FunctionIds ids) {
        return connection.completeOpen(assigned, connectionArg, ids) ? connection : null;
    }

    @Override
    public void close() {
        connection.close();
    }
}
