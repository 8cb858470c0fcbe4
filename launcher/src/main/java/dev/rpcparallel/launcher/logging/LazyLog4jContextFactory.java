package dev.rpcparallel.launcher.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.AbstractLogger;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;

/**
 * A Log4j2 context factory for worker JVMs that starts Log4j core only when it is needed: when
 * something logs at a level the default configuration prints (ERROR or FATAL), or when
 * {@link #activate()} is called (a log-stream subscriber attaching). Until then every logger
 * answers "not enabled" below ERROR without any configuration search, plugin scan or appender:
 * Log4j core's start-up was about 40% of a worker's start time and 11 MiB of its memory.
 *
 * <p>A worker uses it only when Log4j core is its backend and Log4j is not configured (see
 * {@link WorkerLogging}; core is an optional dependency, and this class is loaded only then), so the
 * default configuration is what core would use: ERROR and above to the console. Once core has
 * started, every logger delegates to its core logger of the same name, so levels, filters,
 * appenders and caller locations behave as if core had been there from the start.
 */
public final class LazyLog4jContextFactory implements LoggerContextFactory {
    private final LazyContext context = new LazyContext();
    private volatile LoggerContext core;

    /** Called by Log4j's {@code LogManager} through the {@code log4j2.loggerContextFactory} property. */
    public LazyLog4jContextFactory() {}

    /** Whether Log4j core has started in this JVM. */
    public boolean isActive() {
        return core != null;
    }

    /** Starts Log4j core (once) and returns its context. */
    public LoggerContext activate() {
        LoggerContext started = core;
        if (started == null) {
            synchronized (this) {
                started = core;
                if (started == null) {
                    // Core's first line needs the time zone: read with the descriptor held for it.
                    TimeZoneData.load();
                    LoggerContextFactory factory = new org.apache.logging.log4j.core.impl.Log4jContextFactory();
                    started = factory.getContext(LazyLog4jContextFactory.class.getName(),
                            LazyLog4jContextFactory.class.getClassLoader(), null, false);
                    core = started;
                }
            }
        }
        return started;
    }

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext) {
        return context;
    }

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext,
            java.net.URI configLocation, String name) {
        return context;
    }

    @Override
    public void removeContext(LoggerContext removed) {
        LoggerContext started = core;
        if (started instanceof org.apache.logging.log4j.core.LoggerContext coreContext) {
            coreContext.stop();
        }
    }

    @Override
    public boolean isClassLoaderDependent() {
        return false;
    }

    private final class LazyContext implements LoggerContext {
        private final Map<String, LazyLogger> loggers = new ConcurrentHashMap<>();

        @Override
        public Object getExternalContext() {
            return null;
        }

        @Override
        public ExtendedLogger getLogger(String name) {
            return getLogger(name, null);
        }

        @Override
        public ExtendedLogger getLogger(String name, MessageFactory messageFactory) {
            String key = messageFactory == null ? name : name + "\u0000" + messageFactory.getClass().getName();
            // Not computeIfAbsent with a lambda: this runs on every worker's start path, where a
            // lambda is linked (a class spun or mapped, a method handle resolved) at its first use.
            LazyLogger logger = loggers.get(key);
            if (logger == null) {
                LazyLogger made = new LazyLogger(name, messageFactory);
                logger = loggers.putIfAbsent(key, made);
                if (logger == null) {
                    logger = made;
                }
            }
            return logger;
        }

        @Override
        public boolean hasLogger(String name) {
            return loggers.containsKey(name);
        }

        @Override
        public boolean hasLogger(String name, MessageFactory messageFactory) {
            return loggers.containsKey(messageFactory == null ? name
                    : name + "\u0000" + messageFactory.getClass().getName());
        }

        @Override
        public boolean hasLogger(String name, Class<? extends MessageFactory> messageFactoryClass) {
            return loggers.containsKey(messageFactoryClass == null ? name : name + "\u0000" + messageFactoryClass.getName());
        }
    }

    /**
     * A logger that answers below ERROR by itself until core starts, and then delegates
     * everything to core's logger of the same name.
     */
    private final class LazyLogger extends AbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient MessageFactory requestedFactory;
        private transient volatile ExtendedLogger delegate;

        LazyLogger(String name, MessageFactory messageFactory) {
            super(name, messageFactory);
            this.requestedFactory = messageFactory;
        }

        /** Core's logger, or null while core has not started and {@code level} would not be printed. */
        private ExtendedLogger target(Level level) {
            ExtendedLogger resolved = delegate;
            if (resolved != null) {
                return resolved;
            }
            LoggerContext started = core;
            if (started == null) {
                if (level == null || !level.isMoreSpecificThan(Level.ERROR)) {
                    return null;
                }
                started = activate();
            }
            resolved = requestedFactory == null ? started.getLogger(getName())
                    : started.getLogger(getName(), requestedFactory);
            delegate = resolved;
            return resolved;
        }

        @Override
        public Level getLevel() {
            ExtendedLogger resolved = target(null);
            return resolved == null ? Level.ERROR : resolved.getLevel();
        }

        @Override
        public void logMessage(String fqcn, Level level, Marker marker, Message message, Throwable t) {
            ExtendedLogger resolved = target(Level.FATAL); // only reached when isEnabled said yes
            resolved.logMessage(fqcn, level, marker, message, t);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, Message message, Throwable t) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, t);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, CharSequence message, Throwable t) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, t);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, Object message, Throwable t) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, t);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Throwable t) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, t);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object... params) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, params);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1, p2);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1, p2, p3);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3, Object p4) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1, p2, p3, p4);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3, Object p4, Object p5) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1, p2, p3, p4, p5);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3, Object p4, Object p5, Object p6) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1, p2, p3, p4, p5, p6);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3, Object p4, Object p5, Object p6, Object p7) {
            ExtendedLogger resolved = target(level);
            return resolved != null && resolved.isEnabled(level, marker, message, p0, p1, p2, p3, p4, p5, p6, p7);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3, Object p4, Object p5, Object p6, Object p7, Object p8) {
            ExtendedLogger resolved = target(level);
            return resolved != null
                    && resolved.isEnabled(level, marker, message, p0, p1, p2, p3, p4, p5, p6, p7, p8);
        }

        @Override
        public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2,
                Object p3, Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
            ExtendedLogger resolved = target(level);
            return resolved != null
                    && resolved.isEnabled(level, marker, message, p0, p1, p2, p3, p4, p5, p6, p7, p8, p9);
        }
    }
}
