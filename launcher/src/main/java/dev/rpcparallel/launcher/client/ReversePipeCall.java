package dev.rpcparallel.launcher.client;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.CallOptions;
import dev.rpcparallel.api.ReversePipeFunction;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.launcher.protocol.FlowControl;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.launcher.protocol.ReadingThreads;
import dev.rpcparallel.spi.transport.Frame;
import dev.rpcparallel.spi.transport.FrameKind;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A reverse pipe's sending end: updates go out as credit allows, in elements and bytes; one
 * result comes back.
 */
final class ReversePipeCall extends ClientStream {
    private final ClientSession session;
    private final long callId;
    private final FlowControl.Credits credits;
    /** Cancelling it cancels the call in the worker. */
    private final CallFuture<byte[]> result = new CallFuture<>(this::cancelledByCaller);
    /** Updates from a publisher (reversePipeAsync). */
    private final PublishedUpdates published;

    private ReversePipeCall(ClientSession session, String label) {
        super(label);
        this.session = session;
        this.callId = session.nextCallId();
        this.credits = new FlowControl.Credits(session.streamLimits().window());
        this.published = new PublishedUpdates(credits, this::update, this::end);
    }

    static <Q, U, R> R call(ClientSession session, int functionId, ReversePipeFunction<Q, U, R> function, Q query,
            Iterator<? extends U> updates, CallOptions options) {
        requireNonNull(updates, "updates");
        byte[] encoded = Payloads.encode(function.queryCodec(), query, "the query", function.name());
        ReversePipeCall call = new ReversePipeCall(session, "reverse pipe '" + function.name() + "'");
        ReadingThreads.beforeBlocking(); // waiting for credit would hold up the answers it needs
        session.start(call.callId, functionId, encoded, call, CallDeadline.of(options, session.defaultCallTimeout()));
        try {
            while (!call.result.isDone() && updates.hasNext()) {
                byte[] update = Payloads.encode(function.updateCodec(), updates.next(), "an update", function.name());
                call.credits.acquire(update.length);
                call.update(update);
            }
            call.end();
        } catch (CancellationException answeredOrClosed) {
            // The worker answered early, or the connection ended: the result says which.
        } catch (RuntimeException e) {
            call.abort(e);
            throw e;
        }
        byte[] answer = ClientConnection.await(call.result);
        return decodeResult(session, function, answer);
    }

    static <Q, U, R> CompletableFuture<R> callAsync(ClientSession session, int functionId,
            ReversePipeFunction<Q, U, R> function, Q query, Flow.Publisher<? extends U> updates, CallOptions options) {
        requireNonNull(updates, "updates");
        ReversePipeCall call;
        try {
            byte[] encoded = Payloads.encode(function.queryCodec(), query, "the query", function.name());
            call = new ReversePipeCall(session, "reverse pipe '" + function.name() + "'");
            session.start(call.callId, functionId, encoded, call, CallDeadline.of(options, session.defaultCallTimeout()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        updates.subscribe(new Flow.Subscriber<U>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                call.published.subscribed(subscription);
            }

            @Override
            public void onNext(U update) {
                if (!call.result.isDone()) {
                    byte[] encoded;
                    try {
                        encoded = Payloads.encode(function.updateCodec(), update, "an update", function.name());
                    } catch (RuntimeException e) {
                        call.abort(e);
                        return;
                    }
                    call.published.published(encoded);
                }
            }

            @Override
            public void onError(Throwable error) {
                call.abort(new RpcParallelException("The updates of " + call.label + " to worker '"
                        + session.worker().name() + "' failed: " + error, error));
            }

            @Override
            public void onComplete() {
                if (!call.result.isDone()) {
                    call.published.completed();
                }
            }
        });
        return call.result.map(answer -> decodeResult(session, function, answer));
    }

    private static <R> R decodeResult(ClientSession session, ReversePipeFunction<?, ?, R> function, byte[] bytes) {
        return Payloads.decode(function.resultCodec(), bytes, "the result", function.name(), session.worker().name());
    }

    @Override
    void onFrame(Frame frame) {
        switch (frame.kind()) {
            case CREDIT -> {
                credits.grant(FlowControl.Credit.decode(frame.payload()));
                published.credited();
            }
            case RESULT -> finish(null, frame.payload());
            case ERROR -> finish(session.errors().of(frame, label), null);
            default -> finish(session.errors().unexpected(frame, label), null);
        }
    }

    @Override
    void fail(RuntimeException error) {
        finish(error, null);
    }

    private void finish(RuntimeException error, byte[] answer) {
        session.calls().endStream(callId);
        credits.stop(new CancellationException(label + " has been answered"));
        published.stop();
        if (error != null) {
            result.completeExceptionally(error);
        } else {
            result.complete(answer);
        }
    }

    /** Tells the worker the updates failed here, and fails the call with {@code error}. */
    private void abort(RuntimeException error) {
        if (session.calls().endStream(callId) != null) {
            session.cancel(callId);
        }
        credits.stop(new CancellationException(label + " was aborted"));
        published.stop();
        result.completeExceptionally(error);
    }

    /** The caller cancelled {@link #result}: the worker is told, and the updates stop. */
    private void cancelledByCaller() {
        if (session.calls().endStream(callId) != null) {
            session.cancel(callId);
        }
        credits.stop(new CancellationException(label + " was cancelled"));
        published.stop();
    }

    private void update(byte[] encoded) {
        session.sendQuietly(new Frame(FrameKind.ELEMENT, callId, 0, encoded));
    }

    private void end() {
        session.sendQuietly(new Frame(FrameKind.END, callId, 0, Frame.noPayload()));
    }
}
