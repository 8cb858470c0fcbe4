package dev.rpcparallel.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.transport.TServerSocket;

/**
 * The do-it-yourself peer: a hand-written child JVM serving the generated {@code Ping} service
 * with raw Thrift ({@code TThreadPoolServer}, framed, compact protocol: rpc-parallel's wire),
 * and nothing else. Prints {@code thrift PORT}, then serves until its stdin ends.
 */
public final class ThriftChild {
    private ThriftChild() {}

    public static void main(String[] args) throws Exception {
        TServerSocket socket = new TServerSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TServer server = BaselineServers.thriftServer(socket, new TCompactProtocol.Factory());
        System.out.println("thrift " + socket.getServerSocket().getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes our stdin
        }
        server.stop();
        System.exit(0);
    }
}
