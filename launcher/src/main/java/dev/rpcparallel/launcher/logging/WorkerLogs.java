package dev.rpcparallel.launcher.logging;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.launcher.protocol.Messages;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;

/**
 * The log built-in: this process's Log4j2 events, streamed to any number of subscribers, each
 * from the moment it subscribed. When Log4j core is the backend, {@link Log4jCoreCapture} adds
 * an appender on the first subscription; with another backend (the application's Logback, say)
 * nothing is captured, and each subscriber is told so in a WARN event of its stream.
 *
 * <p>Each subscriber has a bounded queue: a subscriber that falls more than
 * {@link #QUEUE_CAPACITY} events behind loses the excess and is told how many it lost, rather
 * than slowing down the threads that log.
 */
public final class WorkerLogs {
    static final int QUEUE_CAPACITY = 10_000;
    private static final Codec<LogEvent> EVENT = Messages.LOG_EVENT;

    private static final Set<Subscriber> SUBSCRIBERS = new CopyOnWriteArraySet<>();
    private static boolean installed;
    private static String notCaptured;

    private WorkerLogs() {}

    private static final class Subscriber {
        final BlockingQueue<LogEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final AtomicLong dropped = new AtomicLong();
    }

    /** The stream of one subscriber, as the server gives it. */
    public interface Subscription {
        /** Sends one encoded element, waiting for credit; throws a {@link CancellationException} once cancelled. */
        void element(byte[] encoded);

        boolean isCancelled();

        /** Ends the stream. */
        void end();
    }

    /** Streams events to one subscriber until it cancels or its connection closes. */
    public static void serve(Subscription call) {
        String notCapturedReason = install();
        Subscriber subscriber = new Subscriber();
        SUBSCRIBERS.add(subscriber);
        try {
            call.element(new byte[0]); // the acknowledgement: events from now on are the subscriber's
            if (notCapturedReason != null) {
                call.element(EVENT.encode(new LogEvent(System.currentTimeMillis(), "WARN", WorkerLogs.class.getName(),
                        Thread.currentThread().getName(), notCapturedReason, null)));
            }
            while (!call.isCancelled()) {
                LogEvent event = subscriber.queue.poll(200, TimeUnit.MILLISECONDS);
                long dropped = subscriber.dropped.getAndSet(0);
                if (dropped > 0) {
                    call.element(EVENT.encode(new LogEvent(System.currentTimeMillis(), "WARN", WorkerLogs.class.getName(),
                            Thread.currentThread().getName(), dropped + " log events were dropped: this subscriber"
                                    + " was more than " + QUEUE_CAPACITY + " events behind", null)));
                }
                if (event != null) {
                    call.element(EVENT.encode(event));
                }
            }
        } catch (CancellationException e) {
            // The subscriber closed its stream, or its connection closed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            SUBSCRIBERS.remove(subscriber);
            call.end();
        }
    }

    /**
     * Starts capturing this process's log events (once); returns the reason why it cannot when
     * Log4j core is not the backend, or null when the capture runs.
     */
    private static synchronized String install() {
        if (!installed) {
            // A worker's lazy Log4j starts core now: a subscriber wants INFO and above.
            org.apache.logging.log4j.spi.LoggerContext current = LogManager.getFactory() instanceof LazyLog4jContextFactory lazy
                    ? lazy.activate() : LogManager.getContext(false);
            if (Log4jBackend.isCoreContext(current)) {
                Log4jCoreCapture.install(current, WorkerLogs::publish);
            } else {
                notCaptured = "this worker's log events are not streamed: it logs through "
                        + LogManager.getFactory().getClass().getName() + ", and only Log4j core's"
                        + " events can be captured (add log4j-core to the application to stream them);"
                        + " they go to the worker's own log output";
            }
            installed = true;
        }
        return notCaptured;
    }

    /** Offers one event to every subscriber; called on the thread that logged it. */
    private static void publish(LogEvent event) {
        for (Subscriber subscriber : SUBSCRIBERS) {
            if (!subscriber.queue.offer(event)) {
                subscriber.dropped.incrementAndGet();
            }
        }
    }
}
