package dev.rpcparallel.benchmarks;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC-java peer: a child JVM serving {@link GrpcEcho#METHOD} ({@link GrpcChild}), called on
 * one channel: blocking calls for the round trip and the echoes, asynchronous calls from one
 * thread for 64 in flight (HTTP/2 multiplexes them on the channel's connection).
 */
final class GrpcPeer implements Peer {
    private final List<String> jvmOptions;

    GrpcPeer(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    @Override
    public String name() {
        return "gRPC child JVM";
    }

    @Override
    public Started start() throws Exception {
        long start = System.nanoTime();
        JvmPeerChild child = JvmPeerChild.start(GrpcChild.class, "grpc", jvmOptions);
        ManagedChannel channel = NettyChannelBuilder
                .forAddress(InetAddress.getLoopbackAddress().getHostAddress(), Integer.parseInt(child.value()))
                .usePlaintext()
                .maxInboundMessageSize(GrpcEcho.MAX_MESSAGE)
                .build();
        Session session = new Session(child, channel);
        byte[] answer = session.echo(new byte[CallFigures.SMALL]);
        long ready = System.nanoTime() - start;
        BlockingEchoSession.check(answer, CallFigures.SMALL);
        return new Started(session, ready);
    }

    private static final class Session extends BlockingEchoSession {
        private final JvmPeerChild child;
        private final ManagedChannel channel;

        Session(JvmPeerChild child, ManagedChannel channel) {
            this.child = child;
            this.channel = channel;
        }

        @Override
        byte[] echo(byte[] payload) {
            return ClientCalls.blockingUnaryCall(channel, GrpcEcho.METHOD, CallOptions.DEFAULT, payload);
        }

        @Override
        public long pid() {
            return child.pid();
        }

        @Override
        public double callsPerSecond(byte[] payload, int inFlight, double seconds) throws Exception {
            return asyncRate((bytes, done) -> ClientCalls.asyncUnaryCall(
                    channel.newCall(GrpcEcho.METHOD, CallOptions.DEFAULT), bytes, new StreamObserver<byte[]>() {
                        private byte[] answer;

                        @Override
                        public void onNext(byte[] value) {
                            answer = value;
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.accept(null, error);
                        }

                        @Override
                        public void onCompleted() {
                            done.accept(answer, null);
                        }
                    }), payload, inFlight, seconds);
        }

        @Override
        public void close() throws Exception {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            child.finish();
        }
    }
}
