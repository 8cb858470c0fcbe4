package dev.rpcparallel.benchmarks;

import dev.rpcparallel.benchmarks.thrift.Ping;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * The do-it-yourself peer: a hand-written child JVM serving the generated {@code Ping} service
 * with raw Thrift ({@code TThreadPoolServer}, framed, compact protocol: rpc-parallel's wire),
 * and nothing else (it needs only libthrift and SLF4J's API; with no SLF4J binding on its class
 * path, libthrift's logging is off). Prints {@code thrift PORT}, then serves until its stdin ends.
 */
public final class ThriftChild {
    /** The largest frame: the bandwidth figure echoes 16 MiB. */
    static final int MAX_MESSAGE = BaselineServers.MAX_MESSAGE;

    private ThriftChild() {}

    public static void main(String[] args) throws Exception {
        TServerSocket socket = new TServerSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TServer server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(new Ping.Processor<Ping.Iface>(payload -> payload))
                .transportFactory(new TFramedTransport.Factory(MAX_MESSAGE))
                .protocolFactory(new TCompactProtocol.Factory())
                .minWorkerThreads(2));
        Thread serving = new Thread(server::serve, "thrift-serve");
        serving.setDaemon(true);
        serving.start();
        System.out.println("thrift " + socket.getServerSocket().getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes our stdin
        }
        server.stop();
        System.exit(0);
    }
}
