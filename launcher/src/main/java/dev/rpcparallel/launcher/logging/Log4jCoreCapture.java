package dev.rpcparallel.launcher.logging;

import dev.rpcparallel.launcher.protocol.StackTraces;
import dev.rpcparallel.api.LogEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures Log4j core's events for {@link WorkerLogs}: an appender on the root logger, at level
 * INFO (when the configuration logs less, its appenders keep their old level, so the console
 * shows what it showed before). The only class of the log stream that uses Log4j core, which
 * is optional: it is loaded only once core is known to be the backend.
 */
final class Log4jCoreCapture {
    private static final String APPENDER_NAME = "rpc-parallel-log-stream";

    private Log4jCoreCapture() {}

    /** Adds the appender to {@code coreContext}, a Log4j core context; each event goes to {@code sink}. */
    static void install(Object coreContext, Consumer<LogEvent> sink) {
        LoggerContext context = (LoggerContext) coreContext;
        Configuration configuration = context.getConfiguration();
        Appender appender = new StreamAppender(sink);
        appender.start();
        configuration.addAppender(appender);
        LoggerConfig root = configuration.getRootLogger();
        Level configured = root.getLevel();
        if (configured.isMoreSpecificThan(Level.INFO) && configured != Level.INFO) {
            // Keep what the existing appenders print: they get the old level as their threshold.
            Map<String, Level> refLevels = new HashMap<>();
            for (AppenderRef ref : root.getAppenderRefs()) {
                if (ref.getLevel() != null) {
                    refLevels.put(ref.getRef(), ref.getLevel());
                }
            }
            for (Appender existing : List.copyOf(root.getAppenders().values())) {
                root.removeAppender(existing.getName());
                Level threshold = refLevels.getOrDefault(existing.getName(), configured);
                root.addAppender(existing, threshold.isMoreSpecificThan(configured) ? threshold : configured, null);
            }
            root.setLevel(Level.INFO);
        }
        root.addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    private static final class StreamAppender extends AbstractAppender {
        private final Consumer<LogEvent> sink;

        StreamAppender(Consumer<LogEvent> sink) {
            super(APPENDER_NAME, null, null, true, Property.EMPTY_ARRAY);
            this.sink = sink;
        }

        @Override
        public void append(org.apache.logging.log4j.core.LogEvent event) {
            Throwable thrown = event.getThrown();
            sink.accept(new LogEvent(event.getTimeMillis(), event.getLevel().name(), event.getLoggerName(),
                    event.getThreadName(), event.getMessage().getFormattedMessage(),
                    thrown == null ? null : StackTraces.text(thrown)));
        }
    }
}
