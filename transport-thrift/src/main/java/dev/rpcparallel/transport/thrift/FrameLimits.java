package dev.rpcparallel.transport.thrift;

import org.apache.thrift.TConfiguration;

/**
 * The Thrift configuration of one channel's reading side, with a frame size limit that can be
 * changed while the channel's reader is running.
 *
 * <p>{@link org.apache.thrift.transport.layered.TFramedTransport} reads the limit from its
 * inner transport's configuration for every frame it reads, so changing it here changes the
 * limit from the next frame on. The fields of a plain {@code TConfiguration} are not volatile;
 * this one keeps the limit in a volatile field so that a change made by any thread is seen by
 * the reader.
 *
 * <p>A frame is one Thrift message, so the message size limit is the frame size limit.
 */
final class FrameLimits extends TConfiguration {

    /**
     * How deeply nested structs may be, counting the envelope. {@code WireFrame} is flat; this
     * leaves room for nested optional fields a later protocol version may add (which an older
     * reader skips) while refusing pathological nesting.
     */
    static final int RECURSION_LIMIT = 16;

    private volatile int maxFrameSize;

    FrameLimits(int maxFrameSize) {
        super(maxFrameSize, maxFrameSize, RECURSION_LIMIT);
        this.maxFrameSize = checkPositive(maxFrameSize);
    }

    @Override
    public int getMaxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public void setMaxFrameSize(int maxFrameSize) {
        this.maxFrameSize = checkPositive(maxFrameSize);
    }

    @Override
    public int getMaxMessageSize() {
        return maxFrameSize;
    }

    @Override
    public void setMaxMessageSize(int maxMessageSize) {
        setMaxFrameSize(maxMessageSize);
    }

    private static int checkPositive(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the maximum frame size must be positive: " + bytes);
        }
        return bytes;
    }
}
