package dev.rpcparallel.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.junit.jupiter.api.Test;

class LazyLog4jContextFactoryTest {
    private static ExtendedLogger logger(LazyLog4jContextFactory factory, String name) {
        return factory.getContext(LazyLog4jContextFactoryTest.class.getName(), null, null, false).getLogger(name);
    }

    @Test
    void belowErrorNothingStartsAndAskingAboutErrorStartsCore() {
        LazyLog4jContextFactory factory = new LazyLog4jContextFactory();
        ExtendedLogger logger = logger(factory, "lazy.test.quiet");
        assertThat(logger.isDebugEnabled()).isFalse();
        assertThat(logger.isInfoEnabled()).isFalse();
        assertThat(logger.isWarnEnabled()).isFalse();
        logger.warn("not printed by the default configuration, and not a reason to start core");
        assertThat(factory.isActive()).isFalse();
        assertThat(logger.getLevel()).isEqualTo(Level.ERROR);

        assertThat(logger.isErrorEnabled()).isTrue();
        assertThat(factory.isActive()).isTrue();
    }

    @Test
    void onceCoreRunsItsConfigurationDecidesAndItsAppendersGetTheEvents() {
        LazyLog4jContextFactory factory = new LazyLog4jContextFactory();
        String name = "lazy.test.configured";
        ExtendedLogger logger = logger(factory, name);
        LoggerContext core = (LoggerContext) factory.activate();
        List<LogEvent> events = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("lazy-test-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        capture.start();
        LoggerConfig config = new LoggerConfig(name, Level.DEBUG, false);
        config.addAppender(capture, Level.DEBUG, null);
        core.getConfiguration().addLogger(name, config);
        core.updateLoggers();
        try {
            assertThat(logger.isDebugEnabled()).isTrue();
            assertThat(logger.isTraceEnabled()).isFalse();
            logger.debug("hello {}", 42);
            logger.trace("not wanted");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getMessage().getFormattedMessage()).isEqualTo("hello 42");
            assertThat(events.get(0).getLoggerName()).isEqualTo(name);
            assertThat(events.get(0).getLevel()).isEqualTo(Level.DEBUG);
        } finally {
            core.getConfiguration().removeLogger(name);
            core.updateLoggers();
            capture.stop();
        }
    }

    @Test
    void aLoggerIsTheSameObjectEachTimeItIsAskedFor() {
        LazyLog4jContextFactory factory = new LazyLog4jContextFactory();
        assertThat(logger(factory, "lazy.test.same")).isSameAs(logger(factory, "lazy.test.same"));
        assertThat(factory.getContext("x", null, null, false).hasLogger("lazy.test.same")).isTrue();
    }
}
