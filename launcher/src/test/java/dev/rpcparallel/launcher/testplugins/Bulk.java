package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.StateFunction;
import dev.rpcparallel.api.WorkerType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The handles of the test worker type {@code bulk}: streams of 1 MiB elements, to test that
 * streams are bounded in bytes. Each element is {@link #blob numbered}: its first eight bytes are
 * its index, so that a consumer can check that all arrived, in order.
 */
public final class Bulk {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("bulk", Codecs.none(), Codecs.none());
    /** The size of every element. */
    public static final int BLOB_BYTES = 1024 * 1024;

    /** Answers its argument: the other call that must keep answering. */
    public static final RpcFunction<String, String> PING = RpcFunction.of("ping", Codecs.string(), Codecs.string());
    /** The argument's count of blobs, as fast as credit allows. */
    public static final PipeFunction<Long, byte[]> BLOBS = PipeFunction.of("blobs", Codecs.int64(), Codecs.bytes());
    /** State: blob 0, then blobs 1 to the argument as updates, as fast as credit allows. */
    public static final StateFunction<Long, byte[], byte[]> BLOB_STATE =
            StateFunction.of("blobState", Codecs.int64(), Codecs.bytes(), Codecs.bytes());
    /**
     * Takes the updates slowly, checking their numbers: waits the query's first number of
     * milliseconds before the first, then its second number for each; answers
     * {@code "N blobs in order"}, or what was wrong.
     */
    public static final ReversePipeFunction<List<Long>, byte[], String> SWALLOW =
            ReversePipeFunction.of("swallow", Codecs.list(Codecs.int64()), Codecs.bytes(), Codecs.string());
    /** Pushes the argument's count of blobs without waiting, until its writer refuses one. */
    public static final DirectPipeFunction<Long, byte[]> FLOOD =
            DirectPipeFunction.of("flood", Codecs.int64(), Codecs.bytes());
    /** What the writer of the last {@link #FLOOD} saw: {@code "refused blob N, closed"}, or {@code "running"}. */
    public static final RpcFunction<Void, String> FLOOD_OUTCOME =
            RpcFunction.of("floodOutcome", Codecs.none(), Codecs.string());

    private Bulk() {}

    /** Blob number {@code index}: 1 MiB, its index first. */
    public static byte[] blob(long index) {
        byte[] blob = new byte[BLOB_BYTES];
        Arrays.fill(blob, (byte) index);
        ByteBuffer.wrap(blob).putLong(index);
        return blob;
    }

    /** The index of a blob, or -1 if it is not a whole blob. */
    public static long indexOf(byte[] blob) {
        if (blob.length != BLOB_BYTES || blob[BLOB_BYTES - 1] != (byte) ByteBuffer.wrap(blob).getLong()) {
            return -1;
        }
        return ByteBuffer.wrap(blob).getLong();
    }

    /** Blobs 0 until {@code count}, made as they are taken. */
    public static Iterator<byte[]> blobs(long count) {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return blob(next++);
            }
        };
    }
}
