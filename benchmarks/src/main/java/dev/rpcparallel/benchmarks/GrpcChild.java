package dev.rpcparallel.benchmarks;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC peer: a child JVM serving {@link GrpcEcho#METHOD} with grpc-netty-shaded on a
 * loopback port, with gRPC's default executor. Prints {@code grpc PORT}, then serves until its
 * stdin ends.
 */
public final class GrpcChild {
    private GrpcChild() {}

    public static void main(String[] args) throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Echo")
                .addMethod(GrpcEcho.METHOD, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        InsecureServerCredentials.create())
                .maxInboundMessageSize(GrpcEcho.MAX_MESSAGE)
                .addService(service)
                .build()
                .start();
        System.out.println("grpc " + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes our stdin
        }
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        System.exit(0);
    }
}
