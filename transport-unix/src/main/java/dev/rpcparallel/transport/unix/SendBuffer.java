package dev.rpcparallel.transport.unix;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * The send buffer of a unix-domain connection: room for a whole frame of the largest size a
 * sender writes at once (a 256 KiB payload piece and its header), so that writing one frame is a
 * copy into the kernel, not a wait for the peer to read it. A unix-domain socket's writes are
 * bounded by its send buffer alone (the receiver has none of its own), and Linux gives it
 * {@code net.core.wmem_default}, 212,992 bytes (about 228 KiB of data before a write waits): a
 * caller writing a 250 KiB frame then waited, holding the connection's writer, until the peer had
 * read it, and the small calls of the other callers waited behind it (in a test, 23 to 51 small
 * calls a second where TCP, whose buffers grow, answered 3,000). Linux caps the size
 * asked for at {@code net.core.wmem_max} and doubles it for its bookkeeping: 212,992 bytes, the
 * usual cap, still give 416 KiB. Stateless.
 */
final class SendBuffer {
    /** The size asked for: a frame of the largest piece (256 KiB and a header), and room to spare. */
    static final int BYTES = 512 * 1024;

    private SendBuffer() {}

    /** Sizes {@code channel}'s send buffer; a system that refuses keeps its default. */
    static void size(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, BYTES);
        } catch (IOException | UnsupportedOperationException e) {
            // Its default then: slower for large frames among small ones, correct all the same.
        }
    }
}
