package dev.rpcparallel.transport.local;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** One end of an in-JVM connection: it reads one pipe and writes the other. */
final class LocalConnection implements Closeable {
    /** Bytes a pipe holds for a reader that does not read; what a slow reader costs in memory. */
    static final int PIPE_CAPACITY = 256 * 1024;

    private final String remoteAddress;
    private final BytePipe in;
    private final BytePipe out;

    private LocalConnection(String remoteAddress, BytePipe in, BytePipe out) {
        this.remoteAddress = remoteAddress;
        this.in = in;
        this.out = out;
    }

    /** A connected pair: index 0 the client's end, 1 the server's. */
    static LocalConnection[] pair(String serverAddress, String clientAddress) {
        BytePipe toServer = new BytePipe("the connection from " + clientAddress + " to " + serverAddress, PIPE_CAPACITY);
        BytePipe toClient = new BytePipe("the connection from " + serverAddress + " to " + clientAddress, PIPE_CAPACITY);
        return new LocalConnection[] {
            new LocalConnection(serverAddress, toClient, toServer), new LocalConnection(clientAddress, toServer, toClient)
        };
    }

    String remoteAddress() {
        return remoteAddress;
    }

    InputStream input() {
        return in.input();
    }

    OutputStream output() {
        return out.output();
    }

    /** Ends what the peer reads; this end still reads. */
    void shutdownOutput() {
        out.closeWriter();
    }

    /** Closes both ways: the peer reads what was sent, then the end of the stream. */
    @Override
    public void close() {
        out.closeWriter();
        in.closeReader();
    }
}
