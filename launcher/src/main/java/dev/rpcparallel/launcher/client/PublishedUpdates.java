package dev.rpcparallel.launcher.client;

import dev.rpcparallel.launcher.protocol.FlowControl;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A reverse pipe's updates taken from a {@link Flow.Publisher}: requested one at a time, each
 * sent as soon as the worker's credit (in elements and bytes) allows; an update that does not
 * fit waits here, alone, for credit, and no other is requested meanwhile. So the caller holds
 * at most one encoded update besides what the publisher buffers. Thread-safe: updates come on
 * the publisher's thread, credit on the connection's reading thread.
 */
final class PublishedUpdates {
    private final FlowControl.Credits credits;
    private final Consumer<byte[]> sender;
    private final Runnable ender;
    // Guarded by this.
    private Flow.Subscription subscription;
    private boolean requested;
    private byte[] parked;
    private boolean endWhenSent;
    private boolean stopped;

    /**
     * @param sender sends one update; called by one thread at a time, in order
     * @param ender sends the end of the updates, after the last
     */
    PublishedUpdates(FlowControl.Credits credits, Consumer<byte[]> sender, Runnable ender) {
        this.credits = credits;
        this.sender = sender;
        this.ender = ender;
    }

    void subscribed(Flow.Subscription newSubscription) {
        boolean cancel;
        synchronized (this) {
            subscription = newSubscription;
            cancel = stopped;
        }
        if (cancel) {
            newSubscription.cancel();
        } else {
            requestNext();
        }
    }

    /** The next update: sent if credit allows, else kept until credit comes. */
    void published(byte[] encoded) {
        boolean send;
        synchronized (this) {
            requested = false;
            if (stopped) {
                return;
            }
            send = parked == null && tryAcquire(encoded.length);
            if (!send) {
                parked = encoded;
            }
        }
        if (send) {
            sender.accept(encoded);
            requestNext();
        }
    }

    /** The publisher has no more: the end goes after the update waiting for credit, if any. */
    void completed() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (parked != null) {
                endWhenSent = true;
                return;
            }
        }
        ender.run();
    }

    /** The worker gave credit (already granted): the update waiting for it goes, and the next is requested. */
    void credited() {
        byte[] next;
        boolean endNow;
        synchronized (this) {
            if (parked == null || stopped || !tryAcquire(parked.length)) {
                return;
            }
            next = parked;
            parked = null;
            endNow = endWhenSent;
        }
        sender.accept(next);
        if (endNow) {
            ender.run();
        } else {
            requestNext();
        }
    }

    /** The call has ended: nothing more is sent or requested, and the subscription is cancelled. */
    void stop() {
        Flow.Subscription publisher;
        synchronized (this) {
            stopped = true;
            parked = null;
            publisher = subscription;
        }
        if (publisher != null) {
            publisher.cancel();
        }
    }

    private boolean tryAcquire(int size) {
        try {
            return credits.tryAcquire(size);
        } catch (CancellationException answered) {
            return false;
        }
    }

    private void requestNext() {
        Flow.Subscription publisher;
        synchronized (this) {
            if (requested || parked != null || stopped || subscription == null) {
                return;
            }
            requested = true;
            publisher = subscription;
        }
        publisher.request(1);
    }
}
