package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.registry.RegisteredType;
import java.util.Optional;

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
     * Runs a function with one answer, a built-in one (ids of zero or less) included, and returns
     * its encoded result.
     *
     * @throws Exception what the function threw, reported to the caller
     */
    byte[] call(int functionId, byte[] arg, Object connectionState) throws Exception;

    /**
     * The function with this id (not a built-in), as it is served; an unknown id gives a method
     * whose call fails saying so. The default serves every id through {@link #call}.
     */
    default ServerMethod method(int functionId) {
        return ServerMethod.unary(describeFunction(functionId), (arg, state) -> call(functionId, arg, state));
    }

    /** The worker type served, for the {@code describe} built-in; empty where none is (a master, an idle pooled worker). */
    default Optional<RegisteredType> servedType() {
        return Optional.empty();
    }

    /**
     * The answer to built-in {@code functionId} (argument {@code arg}) has been written and
     * flushed to its connection: its caller gets it unless the connection breaks. A master's
     * registration desk lets a spawn return only then, so that a worker whose spawn has returned
     * knows it is registered however soon the master closes its registration server. Not called
     * for an error answer. Runs on the thread that answered; must not throw.
     */
    default void builtinAnswered(int functionId, byte[] arg) {}

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
