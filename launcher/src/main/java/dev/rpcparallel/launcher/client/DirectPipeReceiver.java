package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.RpcParallelException;
import dev.rpcparallel.launcher.protocol.FlowControl;
import dev.rpcparallel.launcher.protocol.InboundStream;
import dev.rpcparallel.launcher.protocol.StreamLimits;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The caller's end of a direct pipe. Elements arrive (encoded) on the connection's reading
 * thread and wait in a queue; a delivery thread decodes them and runs the callback, one element
 * at a time, in order, so a slow callback holds up its own pipe only, never the connection's
 * other calls. What the callback has taken is acknowledged to the worker ({@code CREDIT}), which
 * bounds what it pushes ahead by {@code directPipeQueueBytes} and fails the pipe as "consumer too
 * slow" past it; the queue here is bounded by the same rule, against a worker that would not.
 * {@code onClosed} runs once, after the last element delivered. Thread-safe.
 *
 * @param <E> the element type
 */
final class DirectPipeReceiver<E> {
    /** Its logger, made at the first message: a process that never logs never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(DirectPipeReceiver.class);
    }

    private final String label;
    private final StreamLimits limits;
    private final Function<byte[], E> decoder;
    private final DirectPipeCallback<? super E> callback;
    private final Consumer<FlowControl.Credit> acknowledger;
    private final Runnable canceller;
    private final AtomicInteger wip = new AtomicInteger();
    // Guarded by this.
    private final FlowControl.Grants grants;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private boolean closing;
    private Throwable closeError;
    private boolean closedSignalled;

    /**
     * @param label the pipe and its worker, for errors: {@code "direct pipe 'ticks' of worker 'w'"}
     * @param acknowledger tells the worker what the callback has taken
     * @param canceller tells the worker to stop, and forgets the pipe
     */
    DirectPipeReceiver(String label, StreamLimits limits, Function<byte[], E> decoder,
            DirectPipeCallback<? super E> callback, Consumer<FlowControl.Credit> acknowledger, Runnable canceller) {
        this.label = label;
        this.limits = limits;
        this.grants = new FlowControl.Grants(limits.directPipe());
        this.decoder = decoder;
        this.callback = callback;
        this.acknowledger = acknowledger;
        this.canceller = canceller;
    }

    /** An element arrived; on the reading thread. */
    void onElement(byte[] element) {
        boolean overflow = false;
        synchronized (this) {
            if (closing) {
                return;
            }
            long held = grants.bytesHeld();
            if (grants.received(element.length)) {
                queue.add(element);
            } else {
                overflow = true;
                closing = true;
                closeError = new RpcParallelException(limits.consumerTooSlow(label, held, element.length));
                queue.clear();
            }
        }
        if (overflow) {
            canceller.run();
        }
        drain();
    }

    /**
     * Closes the pipe: {@code onClosed(error)} follows the elements queued, or is next if
     * {@code dropQueued}. Only the first close counts.
     */
    void close(Throwable error, boolean dropQueued) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            closeError = error;
            if (dropQueued) {
                queue.clear();
            }
        }
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() == 0) {
            InboundStream.DELIVERY.execute(this::deliveryLoop);
        }
    }

    private void deliveryLoop() {
        int missed = 1;
        while (true) {
            while (true) {
                byte[] element;
                boolean signalClose = false;
                Throwable error;
                synchronized (this) {
                    element = queue.poll();
                    error = closeError;
                    if (element == null && closing && !closedSignalled) {
                        closedSignalled = true;
                        signalClose = true;
                    }
                }
                if (element != null) {
                    deliver(element);
                    continue;
                }
                if (signalClose) {
                    try {
                        callback.onClosed(error);
                    } catch (RuntimeException e) {
                        Log.LOG.warn("The onClosed callback of {} threw", label, e);
                    }
                }
                break;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void deliver(byte[] element) {
        try {
            callback.onElement(decoder.apply(element));
        } catch (RuntimeException e) {
            canceller.run();
            close(e, true);
            return;
        }
        FlowControl.Credit taken;
        synchronized (this) {
            taken = closing ? null : grants.consumed(1, element.length);
        }
        if (taken != null) {
            acknowledger.accept(taken);
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
