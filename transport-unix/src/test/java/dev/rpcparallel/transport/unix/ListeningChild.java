package dev.rpcparallel.transport.unix;

import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.TransportListener;
import java.time.Duration;

/**
 * A process that listens with the unix transport as the runtime makes it, prints its address,
 * and exits when its standard input ends: for tests of what a process leaves behind.
 */
public final class ListeningChild {
    private ListeningChild() {}

    public static void main(String[] args) throws Exception {
        TransportListener listener = new UnixTransport().listen(ListenOptions.on(""),
                new TransportConfig(1 << 20, Duration.ofSeconds(10)), channel -> {});
        System.out.println(listener.address());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the end of input
        }
        System.exit(0);
    }
}
