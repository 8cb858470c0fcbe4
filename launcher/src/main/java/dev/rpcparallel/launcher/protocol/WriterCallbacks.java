package dev.rpcparallel.launcher.protocol;

import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * The callbacks a session hands to a {@link FrameWriter} and the parts around it, as named
 * classes rather than lambdas: every worker linked each lambda on its way to its first answer
 * (the JDK's lambda factory, an ASM class writer, method-handle resolution), where a named
 * class is loaded from the class-data archive like any other. Immutable, thread-safe.
 */
public final class WriterCallbacks {
    /** Does nothing: a frame written with nothing to run after it. */
    public static final Runnable NOTHING = new Nothing();
    /** A call's new queue of frames waiting to be written. */
    static final Function<Long, ArrayDeque<QueuedFrame>> NEW_QUEUE = new NewQueue();

    private WriterCallbacks() {}

    /** Asks {@code writer} to flush soon ({@link FrameWriter#requestFlush}); does not block. */
    public static Runnable requestFlush(FrameWriter writer) {
        return new RequestFlush(writer);
    }

    /** The writer thread's loop ({@link FrameWriter#writeLoop}). */
    static Runnable writeLoop(FrameWriter writer) {
        return new WriteLoop(writer);
    }

    private static final class Nothing implements Runnable {
        @Override
        public void run() {
            // nothing to run after the frame
        }
    }

    private static final class RequestFlush implements Runnable {
        private final FrameWriter writer;

        RequestFlush(FrameWriter writer) {
            this.writer = writer;
        }

        @Override
        public void run() {
            writer.requestFlush();
        }
    }

    private static final class WriteLoop implements Runnable {
        private final FrameWriter writer;

        WriteLoop(FrameWriter writer) {
            this.writer = writer;
        }

        @Override
        public void run() {
            writer.writeLoop();
        }
    }

    private static final class NewQueue implements Function<Long, ArrayDeque<QueuedFrame>> {
        @Override
        public ArrayDeque<QueuedFrame> apply(Long callId) {
            return new ArrayDeque<>();
        }
    }
}
