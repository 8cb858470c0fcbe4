package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.RemoteStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The receiving end of a flow-controlled stream: elements arrive (encoded) from the connection's
 * reading thread, wait here (never more than a window of them, in elements and in bytes, since
 * the producer has no more credit: see {@link FlowControl}), and are decoded as the one consumer
 * takes them, by iterator or as a {@link Flow.Publisher}; taking them gives credit back to the
 * producer.
 *
 * @param <E> the element type
 */
public final class InboundStream<E> implements RemoteStream<E> {
    /**
     * Runs subscribers' {@code onNext} and direct pipes' callbacks: a slow consumer must not hold
     * up a connection's reader.
     */
    public static final ExecutorService DELIVERY = IdleEndingPools.cached("rpc-parallel-stream-");

    private enum Mode { NONE, ITERATOR, SUBSCRIBER }

    private final String label;
    private final Function<byte[], E> decoder;
    private final Consumer<FlowControl.Credit> creditSender;
    /** What arrived and what is due back as credit; guarded by this. */
    private final FlowControl.Grants grants;
    private final Runnable canceller;
    private final ArrayDeque<byte[]> buffer = new ArrayDeque<>();
    private Mode mode = Mode.NONE;
    private boolean ended;
    private RuntimeException failure;
    private volatile boolean closedByConsumer;

    // Subscriber mode.
    private Flow.Subscriber<? super E> subscriber;
    private long demand;
    private boolean terminalSignalled;
    private final AtomicInteger wip = new AtomicInteger();

    /**
     * @param label what the stream is, for errors: {@code "pipe 'numbers' of worker 'w'"}
     * @param window what the producer may send ahead of the consumer
     * @param creditSender gives credit back to the producer
     * @param canceller tells the producer to stop
     */
    public InboundStream(String label, FlowControl.Window window, Function<byte[], E> decoder,
            Consumer<FlowControl.Credit> creditSender, Runnable canceller) {
        this.label = label;
        this.grants = new FlowControl.Grants(window);
        this.decoder = decoder;
        this.creditSender = creditSender;
        this.canceller = canceller;
    }

    // ------------------------------------------------------------ from the connection

    public void onElement(byte[] element) {
        synchronized (this) {
            if (isTerminated()) {
                return; // cancelled: what was in flight is dropped
            }
            long held = grants.bytesHeld();
            if (!grants.received(element.length)) {
                // A producer that ignores credit would otherwise fill this process's memory.
                FlowControl.Window window = grants.window();
                failure = new dev.rpcparallel.api.ConnectionException(label + " failed: the producer sent more than"
                        + " its credit allows (a window of " + window.elements() + " elements and " + window.bytes()
                        + " bytes; an element of " + element.length + " bytes arrived with " + held
                        + " bytes not yet given back)");
                buffer.clear();
                notifyAll();
            } else {
                buffer.add(element);
            }
            notifyAll();
        }
        drain();
    }

    public void onEnd() {
        synchronized (this) {
            if (!isTerminated()) {
                ended = true;
                notifyAll();
            }
        }
        drain();
    }

    public void onFailure(RuntimeException error) {
        synchronized (this) {
            if (!isTerminated()) {
                failure = error;
                notifyAll();
            }
        }
        drain();
    }

    private boolean isTerminated() {
        return ended || failure != null || closedByConsumer;
    }

    // ------------------------------------------------------------ consumer

    /** Waits for the first element and returns it undecoded (a state's initial state). */
    public byte[] takeFirstRaw() {
        byte[] first;
        synchronized (this) {
            claim(Mode.ITERATOR);
            mode = Mode.NONE;
            awaitElementOrEnd();
            first = buffer.poll();
            if (first == null) {
                throw failure != null ? failure
                        : new IllegalStateException(label + " ended before its first element");
            }
        }
        consumed(1, first.length);
        return first;
    }

    @Override
    public Iterator<E> iterator() {
        synchronized (this) {
            claim(Mode.ITERATOR);
        }
        // The consumer takes what has arrived in one go, under one lock, and gives credit back
        // for what it has consumed when it has consumed a batch or runs out: per element, no
        // lock shared with the reading thread.
        return new Iterator<>() {
            private final ArrayDeque<byte[]> taken = new ArrayDeque<>();
            private int consumedHere;
            private long consumedBytes;

            @Override
            public boolean hasNext() {
                if (closedByConsumer) {
                    taken.clear();
                    return false;
                }
                if (!taken.isEmpty()) {
                    return true;
                }
                giveCredit();
                synchronized (InboundStream.this) {
                    awaitElementOrEnd();
                    if (!buffer.isEmpty()) {
                        taken.addAll(buffer);
                        buffer.clear();
                        return true;
                    }
                    if (failure != null && !closedByConsumer) {
                        throw failure;
                    }
                    return false;
                }
            }

            @Override
            public E next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(label + " has ended");
                }
                byte[] element = taken.poll();
                consumedHere++;
                consumedBytes += element.length;
                if (consumedHere >= grants.window().elementBatch() || consumedBytes >= grants.window().byteBatch()) {
                    giveCredit();
                }
                return decode(element);
            }

            private void giveCredit() {
                if (consumedHere > 0) {
                    int count = consumedHere;
                    long bytes = consumedBytes;
                    consumedHere = 0;
                    consumedBytes = 0;
                    consumed(count, bytes);
                }
            }
        };
    }

    private void awaitElementOrEnd() {
        if (buffer.isEmpty() && !isTerminated()) {
            ReadingThreads.beforeBlocking(); // the elements may be for this thread to read
        }
        while (buffer.isEmpty() && !isTerminated()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new CancellationException("interrupted while waiting for " + label + "; it was cancelled");
            }
        }
    }

    private void claim(Mode wanted) {
        if (mode != Mode.NONE || subscriber != null) {
            throw new IllegalStateException(label + " is already being consumed: a stream is consumed once");
        }
        mode = wanted;
    }

    private E decode(byte[] element) {
        try {
            return decoder.apply(element);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code count} elements of {@code bytes} bytes were consumed: credit goes back to the producer in batches. */
    private void consumed(int count, long bytes) {
        FlowControl.Credit credit;
        synchronized (this) {
            if (isTerminated()) {
                return; // the producer has ended or stopped: it needs no more credit
            }
            credit = grants.consumed(count, bytes);
        }
        if (credit != null) {
            creditSender.accept(credit);
        }
    }

    @Override
    public Stream<E> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (isTerminated()) {
                return;
            }
            closedByConsumer = true;
            buffer.clear();
            notifyAll();
        }
        canceller.run();
        drain();
    }

    // ------------------------------------------------------------ publisher

    @Override
    public void subscribe(Flow.Subscriber<? super E> newSubscriber) {
        java.util.Objects.requireNonNull(newSubscriber, "subscriber");
        synchronized (this) {
            if (mode != Mode.NONE) {
                newSubscriber.onSubscribe(new Flow.Subscription() {
                    @Override public void request(long n) {}
                    @Override public void cancel() {}
                });
                newSubscriber.onError(new IllegalStateException(label
                        + " is already being consumed: a stream is consumed once"));
                return;
            }
            mode = Mode.SUBSCRIBER;
        }
        newSubscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    onFailure(new IllegalArgumentException("request(" + n + ") of " + label + ": must be positive"));
                    return;
                }
                synchronized (InboundStream.this) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                drain();
            }

            @Override
            public void cancel() {
                close();
            }
        });
        synchronized (this) {
            subscriber = newSubscriber;
        }
        drain();
    }

    /** Delivers to the subscriber, one delivery loop at a time, on the delivery executor. */
    private void drain() {
        synchronized (this) {
            if (subscriber == null || terminalSignalled) {
                return;
            }
        }
        if (wip.getAndIncrement() == 0) {
            DELIVERY.execute(this::deliveryLoop);
        }
    }

    private void deliveryLoop() {
        int missed = 1;
        while (true) {
            while (true) {
                byte[] element;
                Flow.Subscriber<? super E> target;
                RuntimeException terminalFailure = null;
                boolean complete = false;
                synchronized (this) {
                    target = subscriber;
                    if (terminalSignalled) {
                        return;
                    }
                    element = demand > 0 ? buffer.poll() : null;
                    if (element != null) {
                        demand--;
                    } else if (buffer.isEmpty() && isTerminated()) {
                        terminalSignalled = true;
                        if (failure != null && !closedByConsumer) {
                            terminalFailure = failure;
                        } else {
                            complete = !closedByConsumer;
                        }
                    }
                }
                if (element != null) {
                    consumed(1, element.length);
                    E decoded;
                    try {
                        decoded = decoder.apply(element);
                    } catch (RuntimeException e) {
                        close();
                        target.onError(e);
                        return;
                    }
                    target.onNext(decoded);
                    continue;
                }
                if (terminalFailure != null) {
                    target.onError(terminalFailure);
                } else if (complete) {
                    target.onComplete();
                }
                break;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
