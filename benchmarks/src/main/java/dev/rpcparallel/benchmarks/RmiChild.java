package dev.rpcparallel.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Base64;

/**
 * The RMI peer: a child JVM exporting a {@link RemoteEcho} on a loopback port, with no
 * registry: it prints {@code rmi STUB}, the stub serialized and Base64-encoded, which the
 * harness deserializes to call it. Serves until its stdin ends.
 */
public final class RmiChild {
    private RmiChild() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.rmi.server.hostname", InetAddress.getLoopbackAddress().getHostAddress());
        RemoteEcho echo = new Echo();
        RemoteEcho stub = (RemoteEcho) UnicastRemoteObject.exportObject(echo, 0, null, new LoopbackServerSockets());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(stub);
        }
        System.out.println("rmi " + Base64.getEncoder().encodeToString(bytes.toByteArray()));
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes our stdin
        }
        UnicastRemoteObject.unexportObject(echo, true);
        System.exit(0);
    }

    /** Returns its argument. */
    private static final class Echo implements RemoteEcho {
        @Override
        public byte[] echo(byte[] payload) {
            return payload;
        }
    }

    /** Server sockets on the loopback address only. */
    private static final class LoopbackServerSockets implements RMIServerSocketFactory, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackServerSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackServerSockets.class.hashCode();
        }
    }
}
