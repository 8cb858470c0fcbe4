package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.launcher.protocol.ServerRole;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * A hand-made peer on a plain socket, for tests that send what the runtime never would: frames
 * encoded by hand (Thrift framed transport, compact protocol), so lengths, kinds and fields can
 * be anything. Can complete a real handshake with the application's secret first.
 */
final class RawPeer implements AutoCloseable {
    static final int HELLO = 1;
    static final int CHALLENGE = 2;
    static final int AUTH = 3;
    static final int READY = 4;
    static final int CALL = 5;
    static final int ERROR = 7;
    static final int CHUNK = 8;
    static final int ELEMENT = 9;
    static final int END = 10;
    static final int CREDIT = 11;
    static final int CANCEL = 12;

    final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to a worker's address ({@code thrift://HOST:PORT}). */
    static RawPeer connect(WorkerRef worker) throws IOException {
        URI uri = URI.create(worker.address());
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        return new RawPeer(socket);
    }

    /** Connects and authenticates as a client of the application with that secret; READY has been read. */
    static RawPeer authenticated(WorkerRef worker, byte[] secret, String fingerprint, byte[] connectionArg)
            throws IOException {
        RawPeer peer = connect(worker);
        try {
            handshake(peer, worker, secret, fingerprint, connectionArg);
            return peer;
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    private static void handshake(RawPeer peer, WorkerRef worker, byte[] secret, String fingerprint,
            byte[] connectionArg) throws IOException {
        byte[] clientNonce = SecretProof.nonce();
        peer.write(framed(frame(HELLO, 0, 0, Messages.HELLO.encode(
                new Messages.Hello(Messages.PROTOCOL_VERSION, clientNonce, worker.id(), fingerprint, ServerRole.WORKER)))));
        Received challengeFrame = peer.read();
        if (challengeFrame.kind() != CHALLENGE) {
            throw new IOException("expected CHALLENGE, got " + challengeFrame);
        }
        Messages.Challenge challenge = Messages.CHALLENGE.decode(challengeFrame.payload());
        byte[] proof = SecretProof.clientProof(secret, ServerRole.WORKER, worker.id(), clientNonce,
                challenge.serverNonce());
        peer.write(framed(frame(AUTH, 0, 0, Messages.AUTH.encode(new Messages.Auth(proof, connectionArg, false)))));
        Received ready = peer.read();
        if (ready.kind() != READY) {
            throw new IOException("expected READY, got " + ready);
        }
    }

    static byte[] stringArg(String s) {
        return Codecs.string().encode(s);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one frame. */
    Received read() throws IOException {
        int length = in.readInt();
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return decode(bytes);
    }

    /** A frame as read: its fields, the kind as its wire value. */
    record Received(int kind, long callId, int functionId, byte[] payload) {}

    /** Decodes a WireFrame struct with libthrift's compact protocol (an independent reader). */
    static Received decode(byte[] struct) throws IOException {
        try {
            TCompactProtocol protocol = new TCompactProtocol(new TMemoryInputTransport(struct));
            int kind = 0;
            long callId = 0;
            int functionId = 0;
            byte[] payload = new byte[0];
            protocol.readStructBegin();
            for (TField field = protocol.readFieldBegin(); field.type != TType.STOP; field = protocol.readFieldBegin()) {
                switch (field.id) {
                    case 1 -> kind = protocol.readI32();
                    case 2 -> callId = protocol.readI64();
                    case 3 -> functionId = protocol.readI32();
                    case 4 -> {
                        ByteBuffer binary = protocol.readBinary();
                        payload = new byte[binary.remaining()];
                        binary.get(payload);
                    }
                    default -> TProtocolUtil.skip(protocol, field.type);
                }
            }
            return new Received(kind, callId, functionId, payload);
        } catch (TException e) {
            throw new IOException(e);
        }
    }

    /** Reads and drops whatever the peer sends, on a daemon thread, until the socket closes. */
    void drainInBackground() {
        Thread drain = new Thread(() -> {
            byte[] sink = new byte[8192];
            try {
                while (socket.getInputStream().read(sink) >= 0) {
                    // dropped
                }
            } catch (IOException e) {
                // closed
            }
        }, "raw-peer-drain");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    // ------------------------------------------------------------ encoding by hand

    /** A WireFrame struct in the compact protocol: kind, callId, functionId, payload. */
    static byte[] frame(int kind, long callId, int functionId, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x15); // field 1, i32
        varint(b, zigzag(kind));
        b.write(0x16); // field 2, i64
        varint(b, zigzag(callId));
        b.write(0x15); // field 3, i32
        varint(b, zigzag(functionId));
        b.write(0x18); // field 4, binary
        varint(b, payload.length);
        b.write(payload, 0, payload.length);
        b.write(0); // stop
        return b.toByteArray();
    }

    /** A frame whose payload's declared length is {@code declaredLength} (any 32-bit value), followed by {@code actual} bytes. */
    static byte[] frameWithDeclaredLength(int kind, long callId, int functionId, int declaredLength, byte[] actual) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x15);
        varint(b, zigzag(kind));
        b.write(0x16);
        varint(b, zigzag(callId));
        b.write(0x15);
        varint(b, zigzag(functionId));
        b.write(0x18);
        varint(b, declaredLength & 0xffffffffL);
        b.write(actual, 0, actual.length);
        b.write(0);
        return b.toByteArray();
    }

    /** The framed-transport frame: a 4-byte big-endian length, then the struct. */
    static byte[] framed(byte[] struct) {
        return withLengthPrefix(struct.length, struct);
    }

    static byte[] withLengthPrefix(int declared, byte[] body) {
        byte[] bytes = new byte[4 + body.length];
        bytes[0] = (byte) (declared >>> 24);
        bytes[1] = (byte) (declared >>> 16);
        bytes[2] = (byte) (declared >>> 8);
        bytes[3] = (byte) declared;
        System.arraycopy(body, 0, bytes, 4, body.length);
        return bytes;
    }

    static long zigzag(long n) {
        return (n << 1) ^ (n >> 63);
    }

    static void varint(ByteArrayOutputStream b, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            b.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }
}
