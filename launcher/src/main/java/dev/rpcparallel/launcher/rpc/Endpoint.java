package dev.rpcparallel.launcher.rpc;

/**
 * What an {@link RpcServer} serves: one worker, or a master's registration desk. Methods are
 * called on the server's executor, possibly concurrently.
 */
public interface Endpoint {

    /** The id clients name in their hello; a {@code WorkerRef}'s id. */
    String id();

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

    /** What to call the function in errors: {@code "function 'count'"}. */
    String describeFunction(int functionId);

    /** The built-in shutdown was called; its acknowledgement has been sent. */
    void shutdownRequested();

    /** A connection (not a control connection) completed its handshake and its state init. */
    default void connectionOpened(long connectionId) {}

    /** A connection announced by {@link #connectionOpened} closed. */
    default void connectionClosed(long connectionId) {}
}
