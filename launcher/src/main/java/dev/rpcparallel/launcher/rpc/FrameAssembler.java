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

        void append(byte[] piece, int offset, int length) {
            int needed = filled + length;
            if (needed > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(size, Math.max(needed, 8L * buffer.length)));
            }
            System.arraycopy(piece, offset, buffer, filled, length);
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
        if (!joins(frame.kind(), frame.callId())) {
            return frame;
        }
        byte[] payload = frame.payload();
        return accept(frame.kind(), frame.callId(), frame.functionId(), payload, 0, payload.length);
    }

    /**
     * Whether a frame of this kind for this call is a piece of a payload being joined (or the
     * last piece): its payload is then copied into the joined payload, and the frame's own
     * array is not kept, so it may be a slice of a buffer the transport reuses.
     */
    boolean joins(FrameKind kind, long callId) {
        return kind == FrameKind.CHUNK || !partial.isEmpty() && partial.containsKey(callId);
    }

    /**
     * Takes a piece (a frame for which {@link #joins} is true) whose payload is bytes
     * {@code offset} to {@code offset + length} of {@code buffer}, copied straight into the
     * joined payload; {@code buffer} is not kept.
     *
     * @return the frame to handle, with its whole payload, once the last piece has come;
     *     {@code null} before
     * @throws ProtocolException as {@link #accept(Frame)}
     */
    Frame accept(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length)
            throws ProtocolException {
        Pieces pieces = partial.get(callId);
        if (pieces == null) {
            if (kind != FrameKind.CHUNK) {
                throw new IllegalStateException(kind + "(call " + callId + ") is not a piece of a payload");
            }
            int size = functionId;
            if (size < 0 || size > maxMessageSize) {
                throw new ProtocolException("the payload of call " + callId + " (" + size
                        + " bytes) is over the maximum message size of " + maxMessageSize + " bytes");
            }
            pieces = new Pieces(size);
            partial.put(callId, pieces);
        }
        boolean last = kind != FrameKind.CHUNK;
        if ((long) pieces.filled + length > pieces.size
                || last && pieces.filled + length != pieces.size) {
            throw new ProtocolException("the pieces of the payload of call " + callId + " do not add up to the "
                    + pieces.size + " bytes announced");
        }
        pieces.append(buffer, offset, length);
        if (!last) {
            return null;
        }
        partial.remove(callId);
        return new Frame(kind, callId, functionId, pieces.buffer);
    }
}
