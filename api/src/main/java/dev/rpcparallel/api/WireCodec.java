package dev.rpcparallel.api;

import java.util.Arrays;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * A built-in codec: one value of a {@link WireType}, written with Thrift's compact protocol, is
 * the whole encoding.
 *
 * <p>Decoding is bounded by its input: the transport's maximum message size is the input's
 * length, so a declared string or binary length beyond the input fails before anything is
 * allocated, and containers check their declared sizes against the bytes left. Nesting is
 * limited to {@value #RECURSION_LIMIT} levels both ways. Every failure, including a Thrift or
 * runtime exception from malformed input, becomes a {@link CodecException} naming this codec.
 */
final class WireCodec<T> implements Codec<T> {
    static final int RECURSION_LIMIT = 64;
    private static final int INITIAL_BUFFER_SIZE = 64;
    private static final TConfiguration WRITE_CONFIGURATION = TConfiguration.custom()
            .setMaxMessageSize(Integer.MAX_VALUE)
            .setMaxFrameSize(Integer.MAX_VALUE)
            .setRecursionLimit(RECURSION_LIMIT)
            .build();

    private final WireType<T> wireType;

    WireCodec(WireType<T> wireType) {
        this.wireType = wireType;
    }

    WireType<T> wireType() {
        return wireType;
    }

    @Override
    public byte[] encode(T value) {
        if (value == null) {
            throw encodeFailure("null is not allowed", null);
        }
        if (wireType == WireTypes.BINARY) {
            return encodeBinary((byte[]) value);
        }
        try {
            TMemoryBuffer buffer = new TMemoryBuffer(WRITE_CONFIGURATION, INITIAL_BUFFER_SIZE);
            wireType.write(new TCompactProtocol(buffer), value);
            return Arrays.copyOf(buffer.getArray(), buffer.length());
        } catch (CodecException e) {
            throw encodeFailure(e.getMessage(), e);
        } catch (TException e) {
            throw encodeFailure(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw encodeFailure(String.valueOf(e), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new CodecException("Codec '" + name() + "' cannot decode null");
        }
        if (wireType == WireTypes.BINARY) {
            byte[] value = decodeBinary(bytes);
            if (value != null) {
                @SuppressWarnings("unchecked")
                T decoded = (T) value;
                return decoded;
            }
            // Malformed: the general path below names the problem.
        }
        TMemoryInputTransport input = null;
        try {
            input = new TMemoryInputTransport(
                    new TConfiguration(bytes.length, bytes.length, RECURSION_LIMIT), bytes);
            T value = wireType.read(new TCompactProtocol(input));
            int trailing = input.getBytesRemainingInBuffer();
            if (trailing > 0) {
                throw new CodecException(trailing + " unexpected bytes after the value");
            }
            return value;
        } catch (CodecException e) {
            throw decodeFailure(bytes, e.getMessage(), e);
        } catch (TTransportException e) {
            throw decodeFailure(bytes, describe(e, input), e);
        } catch (TException e) {
            throw decodeFailure(bytes, "malformed input: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw decodeFailure(bytes, "malformed input: " + e, e);
        }
    }

    private static String describe(TTransportException e, TMemoryInputTransport input) {
        if (e.getType() == TTransportException.MESSAGE_SIZE_LIMIT) {
            return "a declared length exceeds the input (truncated or corrupt?)";
        }
        if (e.getType() == TTransportException.END_OF_FILE
                || (input != null && input.getBytesRemainingInBuffer() == 0)) {
            return "the input ends inside the value (truncated?)";
        }
        return "malformed input: " + e.getMessage();
    }

    @Override
    public String name() {
        return wireType.name();
    }

    @Override
    public String toString() {
        return name();
    }

    private CodecException encodeFailure(String detail, Exception cause) {
        return new CodecException("Codec '" + name() + "' cannot encode the value: " + detail, cause);
    }

    private CodecException decodeFailure(byte[] bytes, String detail, Exception cause) {
        return new CodecException(
                "Codec '" + name() + "' cannot decode " + bytes.length + " bytes: " + detail, cause);
    }

    /**
     * {@code bytes()} encoded as the compact protocol writes a binary (a varint length, then the
     * bytes) straight into an exactly sized array: one copy of a large payload instead of a
     * growing buffer, its regrowth and a final trim.
     */
    private static byte[] encodeBinary(byte[] value) {
        int length = value.length;
        int header = 1;
        for (int rest = length >>> 7; rest != 0; rest >>>= 7) {
            header++;
        }
        byte[] encoded = new byte[header + length];
        int at = 0;
        int rest = length;
        while ((rest & ~0x7f) != 0) {
            encoded[at++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        encoded[at] = (byte) rest;
        System.arraycopy(value, 0, encoded, header, length);
        return encoded;
    }

    /** The inverse of {@link #encodeBinary}: one copy; {@code null} if the input is not exactly that. */
    private static byte[] decodeBinary(byte[] bytes) {
        long length = 0;
        int at = 0;
        for (int shift = 0; ; shift += 7) {
            if (at >= bytes.length || shift > 28) {
                return null;
            }
            byte b = bytes[at++];
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length != bytes.length - at) {
            return null;
        }
        return Arrays.copyOfRange(bytes, at, bytes.length);
    }
}
