package dev.rpcparallel.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.util.Base64;
import java.util.List;

/**
 * The Java RMI peer: a child JVM exporting {@link RemoteEcho} ({@link RmiChild}), called through
 * its stub. RMI is synchronous; 64 calls in flight are 64 threads sharing the stub (RMI opens
 * connections as concurrent calls need them).
 */
final class RmiPeer implements Peer {
    private final List<String> jvmOptions;

    RmiPeer(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    @Override
    public String name() {
        return "RMI child JVM";
    }

    @Override
    public Started start() throws Exception {
        long start = System.nanoTime();
        JvmPeerChild child = JvmPeerChild.start(RmiChild.class, "rmi", jvmOptions);
        RemoteEcho stub;
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(child.value())))) {
            stub = (RemoteEcho) in.readObject();
        }
        byte[] answer = stub.echo(new byte[CallFigures.SMALL]);
        long ready = System.nanoTime() - start;
        BlockingEchoSession.check(answer, CallFigures.SMALL);
        return new Started(new Session(child, stub), ready);
    }

    private static final class Session extends BlockingEchoSession {
        private final JvmPeerChild child;
        private final RemoteEcho stub;

        Session(JvmPeerChild child, RemoteEcho stub) {
            this.child = child;
            this.stub = stub;
        }

        @Override
        byte[] echo(byte[] payload) throws Exception {
            return stub.echo(payload);
        }

        @Override
        public long pid() {
            return child.pid();
        }

        @Override
        public double callsPerSecond(byte[] payload, int inFlight, double seconds) throws Exception {
            return threadedRate(() -> stub::echo, payload, inFlight, seconds);
        }

        @Override
        public void close() throws Exception {
            child.finish();
        }
    }
}
