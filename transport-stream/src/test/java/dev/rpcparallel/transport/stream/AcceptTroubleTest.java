package dev.rpcparallel.transport.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.spi.transport.TransportAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a listener logs of failures to accept: once per episode, and when connections go through again. */
class AcceptTroubleTest {
    private static final TransportAddress ADDRESS = new TransportAddress("thrift", "127.0.0.1:4711");
    private static final String FAILED = "accepting a connection failed; retrying every 100 ms";

    private final AtomicLong clock = new AtomicLong();
    private final AcceptTrouble trouble = new AcceptTrouble(ADDRESS, clock::get);
    private Lines lines;

    @BeforeEach
    void capture() {
        lines = new Lines((Logger) LogManager.getLogger(StreamListener.class));
    }

    @AfterEach
    void release() {
        lines.close();
    }

    @Test
    void aRunOfFailuresIsOneErrorAndItsEndIsSaidAtTheSameLevel() {
        for (int i = 0; i < 5; i++) {
            trouble.failed(FAILED, new IOException("Too many open files"));
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        }
        trouble.succeeded();
        trouble.succeeded();

        assertThat(lines.above(Level.INFO)).containsExactly(
                "ERROR Listener at thrift://127.0.0.1:4711: " + FAILED,
                "ERROR Listener at thrift://127.0.0.1:4711 accepts connections again, after 5 failures");
        assertThat(lines.at(Level.DEBUG)).hasSize(4);
    }

    /** At the edge of a descriptor limit one connection slips through between failures. */
    @Test
    void failuresThatComeBackWithinAMinuteOfTheErrorAreWarningsNotAnotherError() {
        trouble.failed(FAILED, new IOException("Too many open files"));
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        trouble.succeeded();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        trouble.failed(FAILED, new IOException("Too many open files"));
        trouble.failed(FAILED, new IOException("Too many open files"));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        trouble.succeeded();

        assertThat(lines.above(Level.INFO)).containsExactly(
                "ERROR Listener at thrift://127.0.0.1:4711: " + FAILED,
                "ERROR Listener at thrift://127.0.0.1:4711 accepts connections again, after 1 failures",
                "WARN Listener at thrift://127.0.0.1:4711: " + FAILED
                        + " (java.io.IOException: Too many open files; again, 110 ms after the error logged before)",
                "WARN Listener at thrift://127.0.0.1:4711 accepts connections again, after 2 failures");
    }

    @Test
    void troubleAMinuteAfterTheLastErrorIsAnErrorAgain() {
        trouble.failed(FAILED, new IOException("Too many open files"));
        trouble.succeeded();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(AcceptTrouble.REPEAT_WINDOW_SECONDS));
        trouble.failed(FAILED, new IOException("Too many open files"));

        assertThat(lines.above(Level.INFO)).containsExactly(
                "ERROR Listener at thrift://127.0.0.1:4711: " + FAILED,
                "ERROR Listener at thrift://127.0.0.1:4711 accepts connections again, after 1 failures",
                "ERROR Listener at thrift://127.0.0.1:4711: " + FAILED);
    }

    @Test
    void connectionsWithoutTroubleSayNothing() {
        trouble.succeeded();
        assertThat(lines.all()).isEmpty();
    }

    /** The lines the listener's logger logs while this is open: {@code LEVEL message}. */
    private static final class Lines extends AbstractAppender implements AutoCloseable {
        private final Logger logger;
        private final Level level;
        private final List<LogEvent> events = new ArrayList<>();

        Lines(Logger logger) {
            super("accept-trouble-lines", null, null, true, Property.EMPTY_ARRAY);
            this.logger = logger;
            this.level = logger.getLevel();
            start();
            logger.addAppender(this);
            logger.setLevel(Level.DEBUG);
        }

        @Override
        public synchronized void append(LogEvent event) {
            events.add(event.toImmutable());
        }

        synchronized List<String> all() {
            return events.stream().map(e -> e.getLevel() + " " + e.getMessage().getFormattedMessage()).toList();
        }

        synchronized List<String> above(Level threshold) {
            return events.stream().filter(e -> e.getLevel().isMoreSpecificThan(threshold) && e.getLevel() != threshold)
                    .map(e -> e.getLevel() + " " + e.getMessage().getFormattedMessage()).toList();
        }

        synchronized List<String> at(Level exactly) {
            return events.stream().filter(e -> e.getLevel() == exactly)
                    .map(e -> e.getLevel() + " " + e.getMessage().getFormattedMessage()).toList();
        }

        @Override
        public void close() {
            logger.removeAppender(this);
            logger.setLevel(level);
            stop();
        }
    }
}
