package dev.rpcparallel.benchmarks;

import dev.rpcparallel.benchmarks.thrift.Ping;
import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocolFactory;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * The baseline servers, in a JVM of their own (as a worker is): raw Thrift
 * {@code TThreadPoolServer}s serving {@link Ping} with the framed transport and the compact
 * protocol (as rpc-parallel's wire), and the binary protocol, and a raw socket echo server (a
 * 4-byte length, then the bytes; one thread per connection). Prints {@code thrift PORT},
 * {@code thrift-binary PORT} and {@code socket PORT}, then serves until its stdin ends.
 */
public final class BaselineServers {
    /** The largest message of the raw servers: the bandwidth figure echoes 64 MiB. */
    static final int MAX_MESSAGE = 256 * 1024 * 1024;

    private BaselineServers() {}

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();

        TServerSocket thriftSocket = new TServerSocket(new InetSocketAddress(loopback, 0));
        TServer thrift = thriftServer(thriftSocket, new TCompactProtocol.Factory());
        TServerSocket binarySocket = new TServerSocket(new InetSocketAddress(loopback, 0));
        TServer binary = thriftServer(binarySocket, new TBinaryProtocol.Factory());

        ServerSocket socketServer = new ServerSocket(0, 50, loopback);
        Thread acceptor = new Thread(() -> acceptLoop(socketServer), "baseline-socket-accept");
        acceptor.setDaemon(true);
        acceptor.start();

        System.out.println("thrift " + thriftSocket.getServerSocket().getLocalPort());
        System.out.println("thrift-binary " + binarySocket.getServerSocket().getLocalPort());
        ServerSocket streamServer = new ServerSocket(0, 50, loopback);
        Thread streamAcceptor = new Thread(() -> streamAcceptLoop(streamServer), "baseline-stream-accept");
        streamAcceptor.setDaemon(true);
        streamAcceptor.start();

        System.out.println("socket " + socketServer.getLocalPort());
        System.out.println("stream " + streamServer.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes our stdin
        }
        thrift.stop();
        binary.stop();
        socketServer.close();
        streamServer.close();
    }

    private static void streamAcceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread connection = new Thread(() -> stream(socket), "baseline-stream");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * The pipe figure's baseline: reads a count (8 bytes), then writes the numbers 0 until it,
     * each encoded with the pipe's element codec and length-prefixed, through a buffered stream
     * flushed at the end; TCP's own window is the only backpressure. Repeats until the client
     * closes.
     */
    private static void stream(Socket socket) {
        Codec<Long> codec = Codecs.int64();
        try (socket;
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024))) {
            while (true) {
                long count = in.readLong();
                for (long i = 0; i < count; i++) {
                    byte[] element = codec.encode(i);
                    out.writeInt(element.length);
                    out.write(element);
                }
                out.flush();
            }
        } catch (EOFException e) {
            // the client is done
        } catch (IOException e) {
            // the client went away
        }
    }

    private static TServer thriftServer(TServerSocket socket, TProtocolFactory protocol) {
        TServer server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(new Ping.Processor<Ping.Iface>(payload -> payload))
                .transportFactory(new TFramedTransport.Factory(MAX_MESSAGE))
                .protocolFactory(protocol)
                .minWorkerThreads(2));
        Thread thread = new Thread(server::serve, "baseline-thrift");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    private static void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread connection = new Thread(() -> echo(socket), "baseline-socket-echo");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Echoes length-prefixed messages; flushes when no more input is waiting, as a pipelining server would. */
    private static void echo(Socket socket) {
        try (socket;
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024))) {
            byte[] buffer = new byte[1024];
            while (true) {
                int length = in.readInt();
                if (length < 0 || length > MAX_MESSAGE) {
                    return;
                }
                if (length > buffer.length) {
                    buffer = new byte[length];
                }
                in.readFully(buffer, 0, length);
                out.writeInt(length);
                out.write(buffer, 0, length);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // the client is done
        } catch (IOException e) {
            // the client went away
        }
    }
}
