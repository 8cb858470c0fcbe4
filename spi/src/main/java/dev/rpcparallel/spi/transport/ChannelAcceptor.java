package dev.rpcparallel.spi.transport;

import dev.rpcparallel.api.annotation.API;

/** Receives the channels a {@link TransportListener} accepts. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface ChannelAcceptor {
    void accept(FrameChannel channel);
}
