package dev.rpcparallel.launcher.client;

import dev.rpcparallel.spi.transport.Frame;
import java.util.concurrent.ScheduledFuture;

/** A call in progress that gets more than one answer frame: a pipe, direct pipe, state, reverse pipe or log stream. */
abstract class ClientStream {
    final String label;
    /** Watches the stream's deadline, if it has one. */
    volatile ScheduledFuture<?> expiry;

    ClientStream(String label) {
        this.label = label;
    }

    /** A frame of this call arrived; runs on the reading thread. */
    abstract void onFrame(Frame frame);

    /** The call failed locally: the connection closed or was lost. */
    abstract void fail(RuntimeException error);
}
