package dev.rpcparallel.spi.transport;

/** Receives the channels a {@link TransportListener} accepts. */
@FunctionalInterface
public interface ChannelAcceptor {
    void accept(FrameChannel channel);
}
