package dev.rpcparallel.launcher.server;

import java.util.function.Supplier;

/**
 * A function an {@link Endpoint} serves, bound to its implementation once (for a worker's
 * functions, at registration: one typed class per kind, {@link RpcMethod} to
 * {@link ReversePipeMethod}). It comes in one of three shapes, and tells the session which, so
 * the call path neither switches on the function's kind nor casts: {@link Unary} (one answer),
 * {@link NoAnswer} (one-way) and {@link Streaming} (pipes, states, reverse pipes).
 */
public abstract sealed class ServerMethod permits ServerMethod.Unary, ServerMethod.NoAnswer, ServerMethod.Streaming {
    private final String label;
    private final Supplier<String> labelText;

    ServerMethod(String label) {
        this.label = label;
        this.labelText = new SessionHooks.Text(label);
    }

    /** What to call the function in errors: {@code "function 'count'"}. */
    public final String label() {
        return label;
    }

    /** {@link #label()}, for what takes a supplier of it: made once, not at each call. */
    final Supplier<String> labelText() {
        return labelText;
    }

    /** Starts a call of this function through the session's way of running calls of its shape. */
    abstract void start(CallStarts calls, long callId, byte[] arg, long argBytes);

    /** How a session runs a call of each shape. */
    interface CallStarts {
        void unary(Unary method, long callId, byte[] arg, long argBytes);

        void noAnswer(NoAnswer method, long callId, byte[] arg, long argBytes);

        void streaming(Streaming method, long callId, byte[] arg, long argBytes);
    }

    /** A function with one answer: an rpc function, or a built-in the endpoint serves. */
    public abstract static non-sealed class Unary extends ServerMethod {
        protected Unary(String label) {
            super(label);
        }

        /**
         * Runs the function and returns its encoded result.
         *
         * @throws Exception what the function threw, reported to the caller
         */
        public abstract byte[] call(byte[] arg, Object connectionState) throws Exception;

        /**
         * Runs the function and returns its result as the connection sends it: its encoding
         * ({@link #call}), or, where {@link #answersBinaryValue()}, the result's {@code byte[]}
         * value itself, which the connection sends from that array, without a copy
         * ({@link dev.rpcparallel.launcher.protocol.BinaryPayloads}).
         *
         * @throws Exception what the function threw, reported to the caller
         */
        public byte[] answer(byte[] arg, Object connectionState) throws Exception {
            return call(arg, connectionState);
        }

        /** Whether {@link #answer} returns the result's binary value rather than its encoding. */
        public boolean answersBinaryValue() {
            return false;
        }

        @Override
        final void start(CallStarts calls, long callId, byte[] arg, long argBytes) {
            calls.unary(this, callId, arg, argBytes);
        }
    }

    /** A one-way function: nothing goes back to the caller; a failure is the method's to report. */
    public abstract static non-sealed class NoAnswer extends ServerMethod {
        protected NoAnswer(String label) {
            super(label);
        }

        public abstract void run(byte[] arg, Object connectionState);

        @Override
        final void start(CallStarts calls, long callId, byte[] arg, long argBytes) {
            calls.noAnswer(this, callId, arg, argBytes);
        }
    }

    /**
     * A function answered through a {@link StreamCall}, which it ends ({@code end},
     * {@code result}); an exception thrown fails the call.
     */
    public abstract static non-sealed class Streaming extends ServerMethod {
        protected Streaming(String label) {
            super(label);
        }

        public abstract void serve(byte[] arg, Object connectionState, StreamCall call) throws Exception;

        @Override
        final void start(CallStarts calls, long callId, byte[] arg, long argBytes) {
            calls.streaming(this, callId, arg, argBytes);
        }
    }

    /** A function with one answer, served by {@code body}. */
    public static Unary unary(String label, UnaryBody body) {
        return new Unary(label) {
            @Override
            public byte[] call(byte[] arg, Object connectionState) throws Exception {
                return body.call(arg, connectionState);
            }
        };
    }

    /** The body of a {@link #unary} method. */
    @FunctionalInterface
    public interface UnaryBody {
        byte[] call(byte[] arg, Object connectionState) throws Exception;
    }
}
