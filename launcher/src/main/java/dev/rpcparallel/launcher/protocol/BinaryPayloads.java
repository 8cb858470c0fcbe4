package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;

/**
 * Large {@code byte[]} values ({@link Codecs#bytes()}) sent without copying them: the binary
 * codec's encoding is the value's length (a varint, the <em>head</em>) followed by the value's
 * bytes as they are, so a large value goes out as its head and then the caller's own array,
 * written piece by piece ({@link FrameWriter}), instead of being copied into an encoded array
 * first. Values up to {@link #COPIED_UP_TO} bytes are encoded (copied) as usual: they go out in
 * one frame, and a copy of them costs less than a second frame. On the wire nothing changes.
 * Stateless.
 */
public final class BinaryPayloads {
    /** A value up to this many bytes is encoded whole; a larger one is sent from its own array. */
    public static final int COPIED_UP_TO = FrameWriter.CHUNK_SIZE;

    private BinaryPayloads() {}

    /**
     * Whether a value of {@code codec} of {@code value} is sent as its head and its own array:
     * the codec is the binary codec, and the value is a {@code byte[]} larger than {@link #COPIED_UP_TO}.
     */
    public static boolean sentUncopied(Codec<?> codec, Object value) {
        return codec == Codecs.bytes() && value instanceof byte[] bytes && bytes.length > COPIED_UP_TO;
    }

    /** The binary codec's encoding of {@code value}: its head and a copy of its bytes. */
    public static byte[] encode(byte[] value) {
        return Codecs.bytes().encode(value);
    }

    /** The head of a binary value of {@code bodyLength} bytes: the length as an unsigned varint. */
    public static byte[] head(int bodyLength) {
        int size = 1;
        for (int rest = bodyLength >>> 7; rest != 0; rest >>>= 7) {
            size++;
        }
        byte[] head = new byte[size];
        int at = 0;
        int rest = bodyLength;
        while ((rest & ~0x7f) != 0) {
            head[at++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        head[at] = (byte) rest;
        return head;
    }
}
