package dev.rpcparallel.benchmarks;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.benchmarks.thrift.Ping;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/** Clients of {@link BaselineServers}. */
final class BaselineClients {
    private BaselineClients() {}

    /**
     * A generated synchronous Thrift client, framed, with the compact or the binary protocol:
     * one call at a time on its connection.
     */
    static final class ThriftPing implements AutoCloseable {
        private final TSocket socket;
        private final Ping.Client client;

        ThriftPing(int port, boolean binaryProtocol) throws TException {
            TConfiguration configuration = TConfiguration.custom()
                    .setMaxMessageSize(BaselineServers.MAX_MESSAGE)
                    .setMaxFrameSize(BaselineServers.MAX_MESSAGE)
                    .build();
            socket = new TSocket(configuration, InetAddress.getLoopbackAddress().getHostAddress(), port);
            socket.open();
            TFramedTransport framed = new TFramedTransport(socket, BaselineServers.MAX_MESSAGE);
            client = new Ping.Client(binaryProtocol ? new TBinaryProtocol(framed) : new TCompactProtocol(framed));
        }

        byte[] echo(byte[] payload) throws TException {
            ByteBuffer answer = client.echo(ByteBuffer.wrap(payload));
            byte[] bytes = new byte[answer.remaining()];
            answer.get(bytes);
            return bytes;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A raw socket client: a 4-byte length, then the bytes; TCP_NODELAY, 64 KiB buffers. */
    static final class RawSocket implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        RawSocket(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        }

        /** One round trip; the answer lands in {@code into}, which must be large enough. */
        void echo(byte[] payload, byte[] into) throws IOException {
            send(payload);
            receive(into);
        }

        void send(byte[] payload) throws IOException {
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }

        int receive(byte[] into) throws IOException {
            int length = in.readInt();
            in.readFully(into, 0, length);
            return length;
        }

        /**
         * Pipelined echoes for {@code seconds}: a writer (this thread) keeps {@code window}
         * messages in flight, a reader thread takes the answers. Returns messages per second.
         */
        double pipelined(byte[] payload, int window, double seconds) throws Exception {
            Semaphore permits = new Semaphore(window);
            AtomicLong completed = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                byte[] into = new byte[payload.length];
                try {
                    while (true) {
                        receive(into);
                        completed.incrementAndGet();
                        permits.release();
                    }
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        failure.compareAndSet(null, e);
                    }
                    permits.release(window); // unblock the writer
                }
            }, "baseline-socket-reader");
            reader.setDaemon(true);
            reader.start();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end && failure.get() == null) {
                permits.acquire();
                send(payload);
            }
            permits.acquire(window);
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null) {
                throw new IOException("raw socket pipelining failed", failure.get());
            }
            return completed.get() / (elapsed / 1e9);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A client of the raw stream server: asks for a count of elements and decodes each. */
    static final class RawStream implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;
        private final Codec<Long> codec = Codecs.int64();

        RawStream(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            out = new DataOutputStream(socket.getOutputStream());
        }

        /** Streams the numbers 0 until {@code count}; returns their sum, checked by the caller. */
        long sum(long count) throws IOException {
            out.writeLong(count);
            out.flush();
            long sum = 0;
            byte[] buffer = new byte[16];
            for (long i = 0; i < count; i++) {
                int length = in.readInt();
                if (buffer.length < length) {
                    buffer = new byte[length];
                }
                in.readFully(buffer, 0, length);
                // Decoded from an exact copy, as the pipe's consumer decodes each element's bytes.
                sum += codec.decode(java.util.Arrays.copyOf(buffer, length));
            }
            return sum;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
