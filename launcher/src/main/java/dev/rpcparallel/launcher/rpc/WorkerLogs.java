package dev.rpcparallel.launcher.rpc;

import com.google.common.base.Throwables;
import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.launcher.process.LazyLog4jContextFactory;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log built-in: this process's Log4j2 events, streamed to any number of subscribers, each
 * from the moment it subscribed. An appender on the root logger is added on the first
 * subscription (at level INFO: when the configuration logs less, its appenders keep their old
 * level, so the console shows what it showed before).
 *
 * <p>Each subscriber has a bounded queue: a subscriber that falls more than
 * {@link #QUEUE_CAPACITY} events behind loses the excess and is told how many it lost, rather
 * than slowing down the threads that log.
 */
public final class WorkerLogs {
    static final int QUEUE_CAPACITY = 10_000;
    static final Codec<LogEvent> EVENT = Codecs.record(LogEvent.class);
    private static final String APPENDER_NAME = "rpc-parallel-log-stream";

    private static final Set<Subscriber> SUBSCRIBERS = new CopyOnWriteArraySet<>();
    private static boolean installed;

    private WorkerLogs() {}

    private static final class Subscriber {
        final BlockingQueue<LogEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final AtomicLong dropped = new AtomicLong();
    }

    /** Streams events to one subscriber until it cancels or its connection closes. */
    static void serve(StreamCall call) {
        install();
        Subscriber subscriber = new Subscriber();
        SUBSCRIBERS.add(subscriber);
        try {
            call.element(new byte[0]); // the acknowledgement: events from now on are the subscriber's
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

    private static synchronized void install() {
        if (installed) {
            return;
        }
        // A worker's lazy Log4j starts core now: a subscriber wants INFO and above.
        org.apache.logging.log4j.spi.LoggerContext current = LogManager.getFactory() instanceof LazyLog4jContextFactory lazy
                ? lazy.activate() : LogManager.getContext(false);
        if (!(current instanceof LoggerContext context)) {
            installed = true; // Log4j2 routes elsewhere (log4j-to-slf4j): nothing to capture here
            return;
        }
        Configuration configuration = context.getConfiguration();
        Appender appender = new StreamAppender();
        appender.start();
        configuration.addAppender(appender);
        LoggerConfig root = configuration.getRootLogger();
        Level configured = root.getLevel();
        if (configured.isMoreSpecificThan(Level.INFO) && configured != Level.INFO) {
            // Keep what the existing appenders print: they get the old level as their threshold.
            java.util.Map<String, Level> refLevels = new java.util.HashMap<>();
            for (AppenderRef ref : root.getAppenderRefs()) {
                if (ref.getLevel() != null) {
                    refLevels.put(ref.getRef(), ref.getLevel());
                }
            }
            for (Appender existing : java.util.List.copyOf(root.getAppenders().values())) {
                root.removeAppender(existing.getName());
                Level threshold = refLevels.getOrDefault(existing.getName(), configured);
                root.addAppender(existing, threshold.isMoreSpecificThan(configured) ? threshold : configured, null);
            }
            root.setLevel(Level.INFO);
        }
        root.addAppender(appender, Level.INFO, null);
        context.updateLoggers();
        installed = true;
    }

    private static final class StreamAppender extends AbstractAppender {
        StreamAppender() {
            super(APPENDER_NAME, null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(org.apache.logging.log4j.core.LogEvent event) {
            if (SUBSCRIBERS.isEmpty()) {
                return;
            }
            Throwable thrown = event.getThrown();
            LogEvent copy = new LogEvent(event.getTimeMillis(), event.getLevel().name(), event.getLoggerName(),
                    event.getThreadName(), event.getMessage().getFormattedMessage(),
                    thrown == null ? null : Throwables.getStackTraceAsString(thrown));
            for (Subscriber subscriber : SUBSCRIBERS) {
                if (!subscriber.queue.offer(copy)) {
                    subscriber.dropped.incrementAndGet();
                }
            }
        }
    }
}
