package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.ServerRole;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * An impostor, run in its own JVM: it does not know the application's secret. It listens on the
 * port of a worker that has gone and, for each client that connects, relays the client's
 * {@code HELLO} to a live server of the application and that server's answer back, as an
 * attacker would to borrow the server's proof of the secret. If the server refuses the hello as
 * sent (it names another server), the impostor sends the server a copy that names the server's
 * own identity instead and relays that challenge. Whatever the client sends after the relayed
 * answer is counted; an {@code AUTH} is answered with {@code READY}, as an impostor would to take
 * the connection's calls.
 *
 * <p>Arguments: the port to listen on. It prints {@code LISTENING}, then reads one line per client
 * from stdin, {@code HOST PORT ROLE ID} (the live server to relay to and its identity), accepts
 * the next client and prints what happened, ending with {@code END}.
 */
public final class ImpostorRelay {
    private ImpostorRelay() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, UTF_8);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
            // Never outlives its test for long: a client that does not come ends the wait.
            listener.setSoTimeout(60_000);
            out.println("LISTENING");
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                String[] target = line.split(" ");
                try (Socket client = listener.accept()) {
                    client.setSoTimeout(20_000);
                    relayOne(client, target[0], Integer.parseInt(target[1]), ServerRole.valueOf(target[2]), target[3], out);
                } catch (IOException | RuntimeException e) {
                    out.println("failed: " + e);
                }
                out.println("END");
            }
        }
    }

    private static void relayOne(Socket client, String host, int port, ServerRole role, String id, PrintStream out)
            throws IOException {
        DataInputStream fromClient = new DataInputStream(client.getInputStream());
        OutputStream toClient = client.getOutputStream();
        byte[] hello = readFramed(fromClient);
        byte[] answer;
        try (Socket server = new Socket(host, port)) {
            server.setSoTimeout(20_000);
            answer = exchange(server, hello);
        }
        RawPeer.Received first = decode(answer);
        out.println("server answered the relayed HELLO with " + describe(first));
        if (first.kind() != RawPeer.CHALLENGE) {
            // Ask the server for a proof it will give: a hello naming the server itself.
            Messages.Hello asked = Messages.HELLO.decode(decode(hello).payload());
            Messages.Hello rewritten = new Messages.Hello(asked.protocolVersion(), asked.clientNonce(), id,
                    asked.fingerprint(), role);
            try (Socket server = new Socket(host, port)) {
                server.setSoTimeout(20_000);
                answer = exchange(server, RawPeer.framed(RawPeer.frame(RawPeer.HELLO, 0, 0,
                        Messages.HELLO.encode(rewritten))));
            }
            out.println("server answered the rewritten HELLO with " + describe(decode(answer)));
        }
        toClient.write(answer);
        toClient.flush();
        long received = 0;
        while (true) {
            byte[] frame;
            try {
                frame = readFramed(fromClient);
            } catch (SocketTimeoutException e) {
                out.println("client still open after sending " + received + " bytes");
                return;
            } catch (EOFException | java.net.SocketException e) {
                out.println("client closed after sending " + received + " bytes");
                return;
            }
            received += frame.length;
            RawPeer.Received sent = decode(frame);
            out.println("client sent " + describe(sent) + " (" + frame.length + " bytes)");
            if (sent.kind() == RawPeer.AUTH) {
                toClient.write(RawPeer.framed(RawPeer.frame(RawPeer.READY, 0, 0, new byte[0])));
                toClient.flush();
            }
        }
    }

    /** Sends one frame to the server and reads its answer. */
    private static byte[] exchange(Socket server, byte[] frame) throws IOException {
        server.getOutputStream().write(frame);
        server.getOutputStream().flush();
        return readFramed(new DataInputStream(server.getInputStream()));
    }

    /** One frame with its length prefix. */
    private static byte[] readFramed(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("a frame of " + length + " bytes");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return RawPeer.withLengthPrefix(length, body);
    }

    private static RawPeer.Received decode(byte[] framed) throws IOException {
        return RawPeer.decode(java.util.Arrays.copyOfRange(framed, 4, framed.length));
    }

    private static String describe(RawPeer.Received frame) {
        if (frame.kind() == RawPeer.ERROR) {
            return "ERROR: " + Messages.REMOTE_ERROR.decode(frame.payload()).message();
        }
        return dev.rpcparallel.spi.transport.FrameKind.fromWireValue(frame.kind()).name();
    }
}
