package dev.rpcparallel.launcher.server;

import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How one connection runs the calls of each shape of {@link ServerMethod}: a unary call takes a
 * call slot (here, on the reading thread, if one is free: {@link ConnectionCalls}) and answers
 * once; a one-way call takes a slot and answers nothing; a stream takes no slot and runs on the
 * executor. A call can be cancelled while it waits or runs ({@link ServerCalls}): then no answer
 * is sent.
 */
final class CallDispatch implements ServerMethod.CallStarts {
    private final Endpoint endpoint;
    private final ConnectionCalls running;
    private final ServerCalls calls;
    private final StreamCalls streams;
    private final Supplier<Object> connectionState;
    private final Consumer<Runnable> submit;

    CallDispatch(Endpoint endpoint, ConnectionCalls running, ServerCalls calls,
            StreamCalls streams, Supplier<Object> connectionState, Consumer<Runnable> submit) {
        this.endpoint = endpoint;
        this.running = running;
        this.calls = calls;
        this.streams = streams;
        this.connectionState = connectionState;
        this.submit = submit;
    }

    @Override
    public void unary(ServerMethod.Unary method, long callId, byte[] arg, long argBytes) {
        ServerCall served = calls.open(callId, method.labelText());
        running.rpc(callId, method.labelText(), new UnaryAnswer(served, method, arg), argBytes,
                method.answersBinaryValue());
    }

    @Override
    public void noAnswer(ServerMethod.NoAnswer method, long callId, byte[] arg, long argBytes) {
        running.oneWay(callId, () -> method.run(arg, connectionState.get()), argBytes);
    }

    @Override
    public void streaming(ServerMethod.Streaming method, long callId, byte[] arg, long argBytes) {
        String label = method.label();
        ServerCall served = calls.open(callId, method.labelText());
        StreamCall call = streams.open(callId, label, served);
        // A stream takes no call slot (its producer and consumer may wait on each other), and
        // gives its argument's bytes back as it starts: it may run for long, and its elements
        // have windows of their own.
        submit.accept(() -> {
            running.budget().release(argBytes);
            try (ServerCall.Running running = served.enter()) {
                method.serve(arg, connectionState.get(), call);
            } catch (Throwable e) {
                if (!call.isCancelled()) {
                    call.fail(Messages.RemoteError.of(label, e));
                }
            }
        });
    }

    /**
     * Runs a call with one answer; its answer: the result ({@link ServerMethod.Unary#answer}), or
     * the error it threw; {@code null} if the call was cancelled (its caller has stopped waiting:
     * nothing is sent).
     */
    Frame answer(ServerCall served, ServerMethod.Unary method, byte[] arg) {
        long callId = served.callId();
        try {
            byte[] result;
            try (ServerCall.Running running = served.enter()) {
                if (served.isCancelled()) {
                    return null; // cancelled while it waited for a thread: it does not run
                }
                result = method.answer(arg, connectionState.get());
            }
            if (served.isCancelled()) {
                return null;
            }
            return new Frame(FrameKind.RESULT, callId, 0, result);
        } catch (Throwable e) {
            if (served.isCancelled()) {
                return null; // most likely the interrupt of the cancellation
            }
            return error(callId, Messages.RemoteError.of(method.label(), e));
        } finally {
            calls.ended(served);
        }
    }

    static Frame error(long callId, Messages.RemoteError error) {
        return new Frame(FrameKind.ERROR, callId, 0, Messages.REMOTE_ERROR.encode(error));
    }

    /** A unary call's answer ({@link #answer}): a named class, not a lambda to link at the first call. */
    private final class UnaryAnswer implements Supplier<Frame> {
        private final ServerCall served;
        private final ServerMethod.Unary method;
        private final byte[] arg;

        UnaryAnswer(ServerCall served, ServerMethod.Unary method, byte[] arg) {
            this.served = served;
            this.method = method;
            this.arg = arg;
        }

        @Override
        public Frame get() {
            return answer(served, method, arg);
        }
    }
}
