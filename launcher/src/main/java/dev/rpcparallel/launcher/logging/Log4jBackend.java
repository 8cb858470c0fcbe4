package dev.rpcparallel.launcher.logging;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.apache.logging.log4j.spi.Provider;

/**
 * Which backend {@code log4j-api} uses in this JVM, decided without starting it. Log4j core is
 * an optional dependency of the launcher: an application brings it, or routes {@code log4j-api}
 * elsewhere (Logback through {@code log4j-to-slf4j}), or brings no backend at all; code that
 * needs core's classes asks here first, so that they are never loaded when core is absent.
 */
public final class Log4jBackend {
    /** The context factory of Log4j core, named so that core's classes are not loaded. */
    public static final String CORE_FACTORY = "org.apache.logging.log4j.core.impl.Log4jContextFactory";
    private static final String CORE_CONTEXT = "org.apache.logging.log4j.core.LoggerContext";

    private Log4jBackend() {}

    /**
     * Whether Log4j core is the backend {@code log4j-api} will choose: it is on the class path
     * and no provider of a higher priority (as Log4j ranks them) is.
     */
    public static boolean isCore(ClassLoader loader) {
        Provider chosen = null;
        try {
            for (Provider provider : ServiceLoader.load(Provider.class, loader)) {
                if (chosen == null || provider.getPriority() > chosen.getPriority()) {
                    chosen = provider;
                }
            }
        } catch (ServiceConfigurationError e) {
            return false; // a broken provider: let Log4j itself report it
        }
        return chosen != null && CORE_FACTORY.equals(chosen.getClassName());
    }

    /** Whether {@code context} is one of Log4j core's contexts (false when core is absent). */
    public static boolean isCoreContext(Object context) {
        try {
            return Class.forName(CORE_CONTEXT, false, Log4jBackend.class.getClassLoader()).isInstance(context);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
