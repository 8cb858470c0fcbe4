package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.net.ProtocolException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Joins the {@link FrameKind#CHUNK} pieces a {@link FrameWriter} split a payload into: the pieces
 * of a call are kept until that call's next other frame, which gets the whole payload. Enforces
 * the maximum message size on the whole, and the process's {@link ReceiveBudget}: the first piece
 * of a payload reserves its whole announced size, waiting (and so not reading the connection)
 * while that would exceed the budget; the joined payload's bytes are the caller's to release. A
 * payload larger than the whole budget is read and dropped, piece by piece, and refused at its
 * last piece ({@link OverBudget}), so the connection goes on. Used by the one reading thread of a
 * connection.
 */
public final class FrameAssembler {
    private final Map<Long, Pieces> partial = new HashMap<>();
    private final int maxMessageSize;
    private final ReceiveBudget budget;
    private final BooleanSupplier open;
    private final Runnable beforeWait;
    /** The bytes of payloads still being joined that this connection reserved. */
    private long reservedPartial;

    /** A payload being joined into a buffer of its whole size, or dropped ({@code buffer} null) when over the budget. */
    private static final class Pieces {
        public final int size;
        public final byte[] buffer;
        public int filled;

        public Pieces(int size, boolean keep) {
            this.size = size;
            this.buffer = keep ? new byte[size] : null;
        }

        public void append(byte[] piece, int offset, int length) {
            if (buffer != null) {
                System.arraycopy(piece, offset, buffer, filled, length);
            }
            filled += length;
        }
    }

    /** A whole payload larger than the receive budget: read and dropped; the call it belongs to is refused. */
    public static final class OverBudget extends Exception {
        private final FrameKind kind;
        private final long callId;
        private final int functionId;
        private final long size;

        public OverBudget(FrameKind kind, long callId, int functionId, long size, String message) {
            super(message);
            this.kind = kind;
            this.callId = callId;
            this.functionId = functionId;
            this.size = size;
        }

        /** The function id of the payload's last frame: on a {@code CALL}, the function called. */
        public int functionId() {
            return functionId;
        }

        /** The size of the whole payload, in bytes. */
        public long size() {
            return size;
        }

        /** The kind of the payload's last frame: what was refused. */
        public FrameKind kind() {
            return kind;
        }

        public long callId() {
            return callId;
        }
    }

    /** An assembler without a receive budget, for tests. */
    public FrameAssembler(int maxMessageSize) {
        this(maxMessageSize, new ReceiveBudget(Long.MAX_VALUE / 2, false), () -> true, () -> {});
    }

    /**
     * @param budget the process's receive budget, which the first piece of a payload reserves from
     * @param open whether the connection is still open: a reader waiting for budget stops when it is not
     * @param beforeWait runs before the reader waits for budget: flushes what it wrote unflushed
     */
    public FrameAssembler(int maxMessageSize, ReceiveBudget budget, BooleanSupplier open, Runnable beforeWait) {
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
        this.open = open;
        this.beforeWait = beforeWait;
    }

    /** The receive budget payloads are reserved from. */
    public ReceiveBudget budget() {
        return budget;
    }

    /** Whether a payload of this connection is being joined with bytes reserved: it must be read on. */
    public boolean hasPartial() {
        return reservedPartial > 0;
    }

    /**
     * Takes a frame read from the peer.
     *
     * @return the frame to handle, with its whole payload; {@code null} for a piece. A payload
     *     joined from pieces (when {@link #joins} was true) holds its size in the budget, which
     *     the caller releases
     * @throws ProtocolException if a payload is over the maximum message size, or its pieces do
     *     not add up to the size its first piece announced, or the connection closed while the
     *     first piece waited for budget
     * @throws OverBudget at the last piece of a payload larger than the whole budget
     */
    public Frame accept(Frame frame) throws ProtocolException, OverBudget {
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
    public boolean joins(FrameKind kind, long callId) {
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
     * @throws OverBudget as {@link #accept(Frame)}
     */
    public Frame accept(FrameKind kind, long callId, int functionId, byte[] buffer, int offset, int length)
            throws ProtocolException, OverBudget {
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
            boolean keep = budget.fits(size);
            if (keep) {
                reserve(size);
            }
            pieces = new Pieces(size, keep);
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
        if (pieces.buffer == null) {
            throw new OverBudget(kind, callId, functionId, pieces.size, "the " + kind + " payload of call " + callId
                    + " (" + pieces.size + " bytes) is larger than the whole receive budget of " + budget.limit() + " bytes");
        }
        reservedPartial -= pieces.size;
        budget.joined(pieces.size);
        return new Frame(kind, callId, functionId, pieces.buffer);
    }

    private void reserve(int size) throws ProtocolException {
        boolean reserved;
        try {
            reserved = budget.reservePartial(size, open, beforeWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reserved = false;
        }
        if (!reserved) {
            throw new ProtocolException("the connection closed while a payload of " + size
                    + " bytes waited for receive budget");
        }
        reservedPartial += size;
    }

    /** The connection is closed: the bytes of payloads never joined go back to the budget. */
    public void close() {
        for (Pieces pieces : partial.values()) {
            if (pieces.buffer != null) {
                budget.releasePartial(pieces.size);
                reservedPartial -= pieces.size;
            }
        }
        partial.clear();
    }
}
