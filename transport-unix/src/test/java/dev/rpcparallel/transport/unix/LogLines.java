package dev.rpcparallel.transport.unix;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The lines one class logs while this is open: {@code LEVEL message}, and what was thrown with them. */
final class LogLines extends AbstractAppender implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new ArrayList<>();
    private final List<Throwable> thrown = new ArrayList<>();
    private final org.apache.logging.log4j.Level level;

    private LogLines(Logger logger) {
        super("test-lines", null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
        this.level = logger.getLevel();
    }

    static LogLines of(Class<?> type) {
        LogLines appender = new LogLines((Logger) LogManager.getLogger(type));
        appender.start();
        appender.logger.addAppender(appender);
        appender.logger.setLevel(org.apache.logging.log4j.Level.DEBUG);
        return appender;
    }

    @Override
    public synchronized void append(LogEvent event) {
        if (event.getLevel().isMoreSpecificThan(org.apache.logging.log4j.Level.INFO)) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                thrown.add(event.getThrown());
            }
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized List<Throwable> thrown() {
        return List.copyOf(thrown);
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        logger.setLevel(level);
        stop();
    }
}
