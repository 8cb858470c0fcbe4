package dev.rpcparallel.launcher.rpc;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.net.ProtocolException;
import java.util.HashMap;
import java.util.Map;

/**
 * Joins the {@link FrameKind#CHUNK} pieces a {@link FrameWriter} split a payload into: the pieces
 * of a call are kept until that call's next other frame, which gets the whole payload. Enforces
 * the maximum message size on the whole. Used by the one reading thread of a connection.
 */
final class FrameAssembler {
    private final Map<Long, Pieces> partial = new HashMap<>();
    private final int maxMessageSize;

    /**
     * A payload being joined. Its buffer grows with the pieces that actually arrive (eightfold,
     * up to the size announced) instead of being allocated whole at the first piece: a peer that
     * announces a large payload and sends little of it costs at most eight times what it sent,
     * and a 64 MiB payload is copied again on growth only about a seventh of its size.
     */
    private static final class Pieces {
        final int size;
        byte[] buffer = new byte[0];
        int filled;

        Pieces(int size) {
            this.size = size;
        }

        void append(byte[] piece) {
            int needed = filled + piece.length;
            if (needed > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(size, Math.max(needed, 8L * buffer.length)));
            }
            System.arraycopy(piece, 0, buffer, filled, piece.length);
            filled = needed;
        }
    }

    FrameAssembler(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Takes a frame read from the peer.
     *
     * @return the frame to handle, with its whole payload; {@code null} for a piece
     * @throws ProtocolException if a payload is over the maximum message size, or its pieces do
     *     not add up to the size its first piece announced
     */
    Frame accept(Frame frame) throws ProtocolException {
        Pieces pieces = partial.get(frame.callId());
        if (pieces == null && frame.kind() != FrameKind.CHUNK) {
            return frame;
        }
        if (pieces == null) {
            int size = frame.functionId();
            if (size < 0 || size > maxMessageSize) {
                throw new ProtocolException("the payload of call " + frame.callId() + " (" + size
                        + " bytes) is over the maximum message size of " + maxMessageSize + " bytes");
            }
            pieces = new Pieces(size);
            partial.put(frame.callId(), pieces);
        }
        byte[] piece = frame.payload();
        boolean last = frame.kind() != FrameKind.CHUNK;
        if ((long) pieces.filled + piece.length > pieces.size
                || last && pieces.filled + piece.length != pieces.size) {
            throw new ProtocolException("the pieces of the payload of call " + frame.callId() + " do not add up to the "
                    + pieces.size + " bytes announced");
        }
        pieces.append(piece);
        if (!last) {
            return null;
        }
        partial.remove(frame.callId());
        return new Frame(frame.kind(), frame.callId(), frame.functionId(), pieces.buffer);
    }
}
