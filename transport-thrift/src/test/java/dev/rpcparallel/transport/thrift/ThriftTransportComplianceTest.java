package dev.rpcparallel.transport.thrift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameChannel;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.spi.transport.Transport;
import dev.rpcparallel.spi.transport.TransportListener;
import dev.rpcparallel.spi.transport.TransportAddress;
import dev.rpcparallel.spi.transport.TransportConfig;
import dev.rpcparallel.spi.transport.ListenOptions;
import dev.rpcparallel.transport.testkit.TransportCompliance;
import dev.rpcparallel.transport.thrift.wire.WireFrame;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Test;

/** The compliance suite on {@link ThriftTransport}, and what is particular to Thrift framing. */
class ThriftTransportComplianceTest extends TransportCompliance {

    private final ThriftTransport transport = new ThriftTransport();

    @Override
    protected Transport transport() {
        return transport;
    }

    @Override
    protected TransportAddress unusedAddress() throws IOException {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        return TransportAddress.parse("thrift://" + LOOPBACK + ":" + port);
    }

    @Override
    protected RawConnection connectRaw(TransportAddress address) throws IOException {
        Socket socket = new Socket(host(address), port(address));
        return new RawConnection() {
            @Override
            public OutputStream output() throws IOException {
                return socket.getOutputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    @Test
    void theListenerAddressHasTheRealPort() throws Exception {
        TransportListener listener = listen(config(LIMIT), channel -> {});
        TransportAddress address = listener.address();
        assertThat(address.toString()).matches("thrift://127\\.0\\.0\\.1:[1-9][0-9]*");
        try (Socket socket = new Socket(host(address), port(address))) {
            assertThat(socket.isConnected()).isTrue();
        }
    }

    @Test
    void theListenerAdvertisesTheHostItIsGiven() throws Exception {
        TransportListener wildcard = track(transport.listen(new ListenOptions("0.0.0.0", "127.0.0.1"), config(LIMIT),
                channel -> {}));
        assertThat(wildcard.address().toString()).matches("thrift://127\\.0\\.0\\.1:[1-9][0-9]*");
        TransportListener named = track(transport.listen(new ListenOptions(LOOPBACK, "worker-7.example.com"),
                config(LIMIT), channel -> {}));
        assertThat(named.address().toString()).matches("thrift://worker-7\\.example\\.com:[1-9][0-9]*");
        TransportListener ipv6 = track(transport.listen(new ListenOptions(LOOPBACK, "[fe80::1]"), config(LIMIT),
                channel -> {}));
        assertThat(ipv6.address().toString()).matches("thrift://\\[fe80::1\\]:[1-9][0-9]*");
        TransportListener ipv6Bare = track(transport.listen(new ListenOptions(LOOPBACK, "fe80::1"), config(LIMIT),
                channel -> {}));
        assertThat(ipv6Bare.address().toString()).matches("thrift://\\[fe80::1\\]:[1-9][0-9]*");
    }

    @Test
    void aHugeFrameHeaderClosesThatChannelOnly() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);

        try (Socket raw = new Socket(host(listener.address()), port(listener.address()))) {
            RecordingHandler handler = startNext(accepted);
            // A Thrift frame header claiming 2 GiB - 1, then a little of the promised frame.
            byte[] garbage = new byte[1004];
            ByteBuffer.wrap(garbage).putInt(Integer.MAX_VALUE).put(bytes(1000, 5));
            writeRefusable(raw, garbage);
            Throwable cause = handler.awaitClosed();
            assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(LIMIT));
            assertThat(cause.getMessage()).contains(String.valueOf(Integer.MAX_VALUE));
        }
        assertListenerServes(listener, accepted);
    }

    @Test
    void manyGarbageConnectionsAtOnceDoNotExhaustMemory() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        java.util.List<RecordingHandler> handlers = new java.util.ArrayList<>();
        java.util.List<Socket> raws = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket raw = new Socket(host(listener.address()), port(listener.address()));
                raws.add(raw);
                handlers.add(startNext(accepted));
                // Each claims a frame far over the limit: nothing may be allocated for it.
                writeRefusable(raw, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2, 3});
            }
            for (RecordingHandler handler : handlers) {
                assertThat(handler.awaitClosed()).isInstanceOf(IOException.class);
            }
        } finally {
            for (Socket raw : raws) {
                raw.close();
            }
        }
        assertListenerServes(listener, accepted);
    }

    @Test
    void connectGivesUpAfterTheConnectTimeout() throws Exception {
        // A listening socket that never accepts: once its queue is full, the kernel (Linux at
        // least) ignores further connection requests, so they hang until the client gives up.
        try (java.net.ServerSocket deaf = new java.net.ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            java.util.List<Socket> fillers = new java.util.ArrayList<>();
            boolean full = false;
            try {
                for (int i = 0; i < 64 && !full; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(deaf.getLocalSocketAddress(), 200);
                    } catch (java.net.SocketTimeoutException e) {
                        full = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(full, "connections to a full backlog hang here");

                String address = "thrift://" + LOOPBACK + ":" + deaf.getLocalPort();
                TransportConfig config = new TransportConfig(LIMIT, java.time.Duration.ofMillis(300));
                long start = System.nanoTime();
                assertThatThrownBy(() -> track(transport.connect(address, config))).isInstanceOf(IOException.class);
                java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(250))
                        .isLessThan(java.time.Duration.ofSeconds(5));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void anUnknownFrameKindClosesTheChannelSayingSo() throws Exception {
        // kind = 99, callId = 1, then the end of the struct.
        byte[] struct = {0x15, (byte) 0xc6, 0x01, 0x16, 0x02, 0x00};
        assertThat(rawFrameCause(struct))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown frame kind 99");
    }

    @Test
    void aFrameWithoutAKindIsMalformed() throws Exception {
        // callId = 1 only.
        byte[] struct = {0x26, 0x02, 0x00};
        assertThat(rawFrameCause(struct)).isInstanceOf(ProtocolException.class).hasMessageContaining("kind");
    }

    @Test
    void aPayloadLengthPastTheFrameEndIsMalformedAndAllocatesNothing() throws Exception {
        // kind = CALL, then field 4 (binary) declaring 0x7ffffff0 bytes, of which 3 follow.
        byte[] struct = {0x15, 0x0a, 0x38, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3};
        assertThat(rawFrameCause(struct)).isInstanceOf(ProtocolException.class).hasMessageContaining("past the frame's end");
    }

    @Test
    void bytesAfterTheStructAreMalformed() throws Exception {
        byte[] struct = {0x15, 0x0a, 0x00, 0x00};
        assertThat(rawFrameCause(struct)).isInstanceOf(ProtocolException.class).hasMessageContaining("after the end");
    }

    @Test
    void anEmptyFrameIsMalformed() throws Exception {
        assertThat(rawFrameCause(new byte[0])).isInstanceOf(ProtocolException.class).hasMessageContaining("empty");
    }

    @Test
    void fieldsAddedLaterAreSkipped() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        try (Socket raw = new Socket(host(listener.address()), port(listener.address()))) {
            RecordingHandler handler = startNext(accepted);
            // kind = RESULT, callId = 5, payload = {9}, then an unknown field 9 (a list of two i32s)
            // and an unknown field 10 (a struct holding a string).
            byte[] struct = {
                0x15, 0x0c, 0x16, 0x0a, 0x28, 0x01, 0x09,
                0x59, 0x25, 0x02, 0x04,
                0x1c, 0x18, 0x02, 'h', 'i', 0x00,
                0x00
            };
            writeFrame(raw.getOutputStream(), struct);
            Frame frame = handler.next();
            assertFrame(frame, FrameKind.RESULT, 5, 0, new byte[] {9});
        }
    }

    @Test
    void framesWrittenByThriftsFramedTransportAreRead() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        try (Socket raw = new Socket(host(listener.address()), port(listener.address()))) {
            RecordingHandler handler = startNext(accepted);
            TFramedTransport framed = new TFramedTransport(new TIOStreamTransport(raw.getOutputStream()));
            TCompactProtocol protocol = new TCompactProtocol(framed);
            for (int i = 0; i < 3; i++) {
                new WireFrame(dev.rpcparallel.transport.thrift.wire.FrameKind.CALL, -i, 1000 + i,
                        ByteBuffer.wrap(bytes(5000 * i, i))).write(protocol);
                framed.flush();
            }
            for (int i = 0; i < 3; i++) {
                assertFrame(handler.next(), FrameKind.CALL, -i, 1000 + i, bytes(5000 * i, i));
            }
        }
    }

    @Test
    void everySocketAcceptedOrConnectedSendsSmallFramesAtOnceAndIsKeptAlive() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        FrameChannel client = track(transport.connect(listener.address(), config(LIMIT)));
        FrameChannel server = accepted.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(server).as("accepted channel").isNotNull();
        track(server);

        for (FrameChannel channel : java.util.List.of(client, server)) {
            Socket socket = (Socket) ((dev.rpcparallel.transport.stream.StreamFrameChannel) channel).connection()
                    .connection();
            // Without TCP_NODELAY on either end, a small answer waits for the peer's delayed ACK.
            assertThat(socket.getTcpNoDelay()).as("TCP_NODELAY of " + channel).isTrue();
            assertThat(socket.getKeepAlive()).as("SO_KEEPALIVE of " + channel).isTrue();
        }
    }

    @Test
    void aHandlerTakingSlicesGetsEachPayloadInPlaceWithoutAFrame() throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        FrameChannel client = track(transport.connect(listener.address(), config(LIMIT)));
        FrameChannel server = accepted.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(server).as("accepted channel").isNotNull();
        BlockingQueue<Frame> sliced = new LinkedBlockingQueue<>();
        java.util.List<byte[]> buffers = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.start(new dev.rpcparallel.spi.transport.FrameHandler() {
            @Override
            public void onFrame(Frame frame) {
                throw new AssertionError("a channel that reads into a buffer of its own hands over slices: " + frame);
            }

            @Override
            public void onFrame(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length) {
                buffers.add(buffer);
                sliced.add(new Frame(kind, callId, functionId,
                        java.util.Arrays.copyOfRange(buffer, offset, offset + length)));
            }

            @Override
            public void onClosed(Throwable cause) {}
        });
        // Empty, small, the size of a FrameWriter piece, and over the retained read buffer.
        int[] sizes = {0, 3, 256 * 1024, ThriftFrameCodec.RETAINED_FRAME_BUFFER + 1000, 17};
        for (int i = 0; i < sizes.length; i++) {
            client.send(new Frame(FrameKind.CHUNK, i, sizes[i] * 2, bytes(sizes[i], i)));
        }
        for (int i = 0; i < sizes.length; i++) {
            Frame frame = sliced.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(frame).as("frame %s within %s", i, WAIT).isNotNull();
            assertFrame(frame, FrameKind.CHUNK, i, sizes[i] * 2, bytes(sizes[i], i));
        }
        // A piece up to the retained size is read into the buffer kept from frame to frame (the
        // 17 bytes land where the 256 KiB piece was); a larger frame into one of its own.
        assertThat(buffers.get(4)).isSameAs(buffers.get(2));
        assertThat(buffers.get(3)).isNotSameAs(buffers.get(2));
    }

    @Test
    void framesSentAreWhatThriftsFramedTransportWrites() throws Exception {
        Frame[] frames = {
            new Frame(FrameKind.CALL, 7, 3, bytes(100_000, 1)),
            new Frame(FrameKind.ERROR, Long.MIN_VALUE, -1, Frame.noPayload()),
            Frame.control(FrameKind.READY, bytes(3, 2)),
        };
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        TFramedTransport framed = new TFramedTransport(new TIOStreamTransport(expected), LIMIT);
        TCompactProtocol protocol = new TCompactProtocol(framed);
        for (Frame frame : frames) {
            new WireFrame(dev.rpcparallel.transport.thrift.wire.FrameKind.findByValue(frame.kind().wireValue()), frame.callId(), frame.functionId(),
                    ByteBuffer.wrap(frame.payload())).write(protocol);
            framed.flush();
        }

        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            FrameChannel client = track(transport.connect(
                    "thrift://127.0.0.1:" + server.getLocalPort(), config(LIMIT)));
            try (Socket peer = server.accept()) {
                for (Frame frame : frames) {
                    client.send(frame);
                }
                byte[] actual = new byte[expected.size()];
                new DataInputStream(peer.getInputStream()).readFully(actual);
                assertThat(actual).isEqualTo(expected.toByteArray());
            }
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        InetAddress ipv6;
        try {
            ipv6 = InetAddress.getByName("::1");
            new java.net.ServerSocket(0, 1, ipv6).close();
        } catch (IOException e) {
            ipv6 = null;
        }
        assumeThat(ipv6).as("IPv6 loopback").isNotNull();

        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = track(transport.listen(ListenOptions.on("::1"), config(LIMIT), accepted::add));
        assertThat(listener.address().toString()).matches("thrift://\\[[0-9a-f:]+\\]:[1-9][0-9]*");
        Pair pair = connect(listener, accepted, config(LIMIT));
        pair.client().send(new Frame(FrameKind.HELLO, 0, 0, bytes(10, 1)));
        assertThat(pair.serverHandler().next().kind()).isEqualTo(FrameKind.HELLO);
        assertThat(pair.server().remoteAddress()).startsWith("[");
    }

    @Test
    void threadsAreNamedDaemons() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        int port = port(pair.listener().address());
        Map<Thread, StackTraceElement[]> threads = Thread.getAllStackTraces();
        assertThat(threads.keySet())
                .filteredOn(t -> t.getName().equals("rpc-parallel-accept-thrift-" + port))
                .singleElement()
                .matches(Thread::isDaemon);
        assertThat(threads.keySet())
                .filteredOn(t -> t.getName().endsWith(pair.server().remoteAddress())
                        || t.getName().endsWith(pair.client().remoteAddress()))
                .hasSize(2)
                .allMatch(Thread::isDaemon);
    }

    @Test
    void acceptedAndConnectedSocketsHaveNoDelay() throws Exception {
        Pair pair = connectedPair(config(LIMIT), config(LIMIT));
        assertThat(socketOf(pair.client()).getTcpNoDelay()).isTrue();
        assertThat(socketOf(pair.server()).getTcpNoDelay()).isTrue();
    }



    private static String host(TransportAddress address) {
        return ThriftAddress.parse(address).host();
    }

    private static int port(TransportAddress address) {
        return ThriftAddress.parse(address).port();
    }

    /** Writes bytes the listener may refuse, and reset the connection for, before they are all written. */
    private static void writeRefusable(Socket raw, byte[] bytes) {
        try {
            OutputStream out = raw.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // Refused already.
        }
    }

    private static Socket socketOf(FrameChannel channel) {
        return (Socket) ((dev.rpcparallel.transport.stream.StreamFrameChannel) channel).connection().connection();
    }

    /** Writes one frame holding {@code struct} to a fresh connection and returns why it closed. */
    private Throwable rawFrameCause(byte[] struct) throws Exception {
        BlockingQueue<FrameChannel> accepted = new LinkedBlockingQueue<>();
        TransportListener listener = listen(config(LIMIT), accepted::add);
        Throwable cause;
        try (Socket raw = new Socket(host(listener.address()), port(listener.address()))) {
            RecordingHandler handler = startNext(accepted);
            writeFrame(raw.getOutputStream(), struct);
            cause = handler.awaitClosed();
            assertThat(handler.framesLeft()).isZero();
        }
        assertListenerServes(listener, accepted);
        return cause;
    }

    private static void writeFrame(OutputStream out, byte[] struct) throws IOException {
        out.write(ByteBuffer.allocate(4 + struct.length).putInt(struct.length).put(struct).array());
        out.flush();
    }
}
