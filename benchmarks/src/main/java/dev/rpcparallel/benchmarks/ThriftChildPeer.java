package dev.rpcparallel.benchmarks;

import dev.rpcparallel.benchmarks.BaselineClients.ThriftPing;
import java.util.List;

/**
 * The do-it-yourself peer: a child JVM serving raw Thrift ({@link ThriftChild}), called with the
 * generated synchronous client ({@link ThriftPing}): one call at a time per connection, so 64 in
 * flight are 64 threads with a connection each.
 */
final class ThriftChildPeer implements Peer {
    private final List<String> jvmOptions;

    ThriftChildPeer(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    @Override
    public String name() {
        return "raw Thrift child JVM";
    }

    @Override
    public Started start() throws Exception {
        long start = System.nanoTime();
        JvmPeerChild child = JvmPeerChild.start(ThriftChild.class, "thrift", jvmOptions);
        int port = Integer.parseInt(child.value());
        ThriftPing client = new ThriftPing(port, false);
        byte[] answer = client.echo(new byte[CallFigures.SMALL]);
        long ready = System.nanoTime() - start;
        BlockingEchoSession.check(answer, CallFigures.SMALL);
        return new Started(new Session(child, port, client), ready);
    }

    private static final class Session extends BlockingEchoSession {
        private final JvmPeerChild child;
        private final int port;
        private final ThriftPing client;

        Session(JvmPeerChild child, int port, ThriftPing client) {
            this.child = child;
            this.port = port;
            this.client = client;
        }

        @Override
        byte[] echo(byte[] payload) throws Exception {
            return client.echo(payload);
        }

        @Override
        public long pid() {
            return child.pid();
        }

        @Override
        public double callsPerSecond(byte[] payload, int inFlight, double seconds) throws Exception {
            return threadedRate(() -> {
                ThriftPing own = new ThriftPing(port, false);
                return new Caller() {
                    @Override
                    public byte[] echo(byte[] bytes) throws Exception {
                        return own.echo(bytes);
                    }

                    @Override
                    public void close() {
                        own.close();
                    }
                };
            }, payload, inFlight, seconds);
        }

        @Override
        public void close() throws Exception {
            client.close();
            child.finish();
        }
    }
}
