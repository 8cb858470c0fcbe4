package dev.rpcparallel.launcher.protocol;

/**
 * A payload over the connection's maximum message size, refused by the {@link FrameWriter}:
 * the one place the size of what a peer sends is checked. Its sender turns it into the error
 * its caller gets, with the size and the limit.
 */
public final class MessageSizeException extends IllegalArgumentException {
    private final int size;
    private final int limit;

    MessageSizeException(String kind, int size, int limit) {
        super("the " + kind + " payload of " + size + " bytes is over the maximum message size of " + limit
                + " bytes (RpcSettings.maxMessageSize: raise it, or send large data in pieces through a pipe or"
                + " reverse pipe)");
        this.size = size;
        this.limit = limit;
    }

    /** The payload's size, in bytes. */
    public int size() {
        return size;
    }

    /** The maximum message size, in bytes. */
    public int limit() {
        return limit;
    }
}
