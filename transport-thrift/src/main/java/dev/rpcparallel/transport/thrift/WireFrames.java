package dev.rpcparallel.transport.thrift;

import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import dev.rpcparallel.transport.thrift.wire.WireFrame;
import java.net.ProtocolException;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * What the transport knows of the {@link WireFrame} envelope: the mapping between the runtime's
 * {@link FrameKind} and the generated wire enum, and the exact size of an encoded frame.
 */
final class WireFrames {

    /** The runtime's kinds, indexed by wire value; {@code null} where the runtime has none. */
    private static final FrameKind[] SPI_KINDS;
    /** The generated wire kinds, indexed by {@link FrameKind#ordinal()}. */
    private static final dev.rpcparallel.transport.thrift.wire.FrameKind[] WIRE_KINDS;

    static {
        int maxValue = 0;
        for (dev.rpcparallel.transport.thrift.wire.FrameKind wire :
                dev.rpcparallel.transport.thrift.wire.FrameKind.values()) {
            maxValue = Math.max(maxValue, wire.getValue());
        }
        SPI_KINDS = new FrameKind[maxValue + 1];
        WIRE_KINDS = new dev.rpcparallel.transport.thrift.wire.FrameKind[FrameKind.values().length];
        for (FrameKind kind : FrameKind.values()) {
            dev.rpcparallel.transport.thrift.wire.FrameKind wire =
                    dev.rpcparallel.transport.thrift.wire.FrameKind.findByValue(kind.wireValue());
            if (wire == null) {
                throw new ExceptionInInitializerError(
                        "frame kind " + kind + " (" + kind.wireValue() + ") is missing from rpc_parallel.thrift");
            }
            WIRE_KINDS[kind.ordinal()] = wire;
            SPI_KINDS[kind.wireValue()] = kind;
        }
    }

    private WireFrames() {}

    /** The wire enum value of a runtime kind. */
    static dev.rpcparallel.transport.thrift.wire.FrameKind toWire(FrameKind kind) {
        return WIRE_KINDS[kind.ordinal()];
    }

    /**
     * The runtime kind of a wire kind.
     *
     * @throws ProtocolException if the runtime has no such kind (the IDL is newer than it)
     */
    static FrameKind fromWire(dev.rpcparallel.transport.thrift.wire.FrameKind wire) throws ProtocolException {
        int value = wire.getValue();
        FrameKind kind = value < SPI_KINDS.length ? SPI_KINDS[value] : null;
        if (kind == null) {
            throw new ProtocolException("frame kind " + wire + " (" + value + ") is not supported by this runtime");
        }
        return kind;
    }

    /**
     * The size of {@code frame} encoded as a {@link WireFrame} with the compact protocol, in
     * bytes: what a framed transport's length prefix says, and what the frame size limit limits.
     *
     * <p>All four fields are written. Each field header takes one byte (the field ids go up by
     * one); integers are zigzag varints; the payload is its varint length and its bytes; one
     * byte ends the struct.
     */
    static long encodedSize(Frame frame) {
        return encodedSize(frame.kind(), frame.callId(), frame.functionId(), frame.payload().length);
    }

    /** The encoded size of a frame with these fields and a payload of {@code payload} bytes. */
    static long encodedSize(FrameKind kind, long callId, int functionId, int payload) {
        return 4L // field headers
                + varintSize(zigzag(kind.wireValue()))
                + varintSize(zigzag(callId))
                + varintSize(zigzag(functionId))
                + varintSize(Integer.toUnsignedLong(payload))
                + payload
                + 1; // field stop
    }

    private static long zigzag(int value) {
        return Integer.toUnsignedLong((value << 1) ^ (value >> 31));
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static int varintSize(long unsigned) {
        int bits = 64 - Long.numberOfLeadingZeros(unsigned | 1);
        return (bits + 6) / 7;
    }

    /**
     * The raw value of the kind field of an encoded frame, for error messages; {@code null} if
     * the frame has none or cannot be scanned.
     */
    static Integer rawKind(byte[] buffer, int offset, int length) {
        try {
            TMemoryInputTransport in = new TMemoryInputTransport(new FrameLimits(Math.max(1, length)), buffer, offset, length);
            TCompactProtocol protocol = new TCompactProtocol(in);
            protocol.readStructBegin();
            while (true) {
                TField field = protocol.readFieldBegin();
                if (field.type == TType.STOP) {
                    return null;
                }
                if (field.id == 1 && field.type == TType.I32) {
                    return protocol.readI32();
                }
                TProtocolUtil.skip(protocol, field.type);
                protocol.readFieldEnd();
            }
        } catch (TException | RuntimeException e) {
            return null;
        }
    }
}
