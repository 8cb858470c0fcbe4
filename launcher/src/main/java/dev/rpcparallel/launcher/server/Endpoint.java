package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;

/**
 * What an {@link RpcServer} serves: one worker, or a master's registration desk. Methods are
 * called on the server's executor, possibly concurrently.
 */
public interface Endpoint {

    /**
     * The id clients name in their hello; a {@code WorkerRef}'s id. Unique in the application;
     * with {@link #role()}, what the server proves it is.
     */
    String id();

    /** What this server is: clients name it in their hello with the id. */
    default ServerRole role() {
        return ServerRole.WORKER;
    }

    /** A readable name for logs and errors. */
    String name();

    /** Opens a connection: decodes the argument and initialises the connection state. */
    Object openConnection(byte[] connectionArg) throws Exception;

    /**
     * Runs a function and returns its encoded result.
     *
     * @throws Exception what the function threw, reported to the caller
     */
    byte[] call(int functionId, byte[] arg, Object connectionState) throws Exception;

    /** The kind of the function with this id; {@link FunctionKind#RPC} for unknown ids, which {@link #call} refuses. */
    default FunctionKind kind(int functionId) {
        return FunctionKind.RPC;
    }

    /**
     * Runs a one-way function. Nothing goes back to the caller: an exception is the endpoint's
     * to report.
     */
    default void oneWay(int functionId, byte[] arg, Object connectionState) {
        throw new UnsupportedOperationException(name() + " serves no one-way functions");
    }

    /**
     * Serves a pipe, direct pipe, state or reverse pipe through {@code call}, which the
     * endpoint ends ({@code end}, {@code result}); an exception thrown here fails the call.
     */
    default void serveStream(int functionId, byte[] arg, Object connectionState, StreamCall call) throws Exception {
        throw new UnsupportedOperationException(name() + " serves no streams");
    }

    /** What to call the function in errors: {@code "function 'count'"}. */
    String describeFunction(int functionId);

    /** The built-in shutdown was called; its acknowledgement has been sent. */
    void shutdownRequested();

    /**
     * Whether to take a parked link ({@link Messages.Auth#parked()}): authenticated now, its
     * connection state initialised by a later {@code AUTH} frame. Only an idle pooled worker
     * takes one, from its master, once.
     */
    default boolean parkLink() {
        return false;
    }

    /** A connection (not a control connection) completed its handshake and its state init. */
    default void connectionOpened(long connectionId) {}

    /** A connection announced by {@link #connectionOpened} closed. */
    default void connectionClosed(long connectionId) {}
}
