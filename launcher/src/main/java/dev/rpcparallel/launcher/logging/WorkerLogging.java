package dev.rpcparallel.launcher.logging;

import java.util.List;

/**
 * How a worker JVM sets up Log4j2 before anything logs. The worker shares its master's class
 * path, so it logs through whatever backend the application chose: Log4j core, or another one
 * behind {@code log4j-api} (Logback through {@code log4j-to-slf4j}, say), which this leaves
 * alone. Only when Log4j core is the backend and nothing configures it (no {@code log4j*}
 * system property, no {@code LOG4J_*} environment variable, no Log4j configuration file on the
 * class path) would core run its default configuration, ERROR and above to the console; the
 * worker then uses {@link LazyLog4jContextFactory}, which gives the same output but starts
 * core only when something is printed or streamed. When Log4j is configured, the worker starts
 * it as any JVM would.
 */
public final class WorkerLogging {
    /** Log4j's property naming its context factory. */
    public static final String FACTORY_PROPERTY = "log4j2.loggerContextFactory";
    /** {@link LazyLog4jContextFactory}, named so that naming it loads nothing. */
    public static final String LAZY_FACTORY = "dev.rpcparallel.launcher.logging.LazyLog4jContextFactory";
    /** What {@link #lazyFactoryForWorkers} found in this JVM, once. */
    private static volatile Boolean lazyForWorkers;
    private static final List<String> CONFIGURATION_NAMES = List.of("log4j2.component.properties",
            "log4j2-test.properties", "log4j2-test.yaml", "log4j2-test.yml", "log4j2-test.json", "log4j2-test.jsn",
            "log4j2-test.xml", "log4j2.properties", "log4j2.yaml", "log4j2.yml", "log4j2.json", "log4j2.jsn",
            "log4j2.xml");

    private WorkerLogging() {}

    /**
     * Chooses the lazy context factory when Log4j core is the backend and is not configured;
     * call before anything logs.
     */
    public static void configure() {
        if (LAZY_FACTORY.equals(System.getProperty(FACTORY_PROPERTY))) {
            return; // decided by the master, on the command line (see lazyFactoryForWorkers)
        }
        if (isLog4jConfigured() || !Log4jBackend.isCore(WorkerLogging.class.getClassLoader())) {
            return;
        }
        System.setProperty(FACTORY_PROPERTY, LazyLog4jContextFactory.class.getName());
    }

    /**
     * Whether {@link #configure} would choose the lazy factory in a worker with this JVM's class
     * path, system properties and environment: decided once per master, so that the master can
     * say so on a worker's command line and spare every worker the search ({@link
     * Log4jBackend#isCore} instantiates Log4j's providers; the configuration search asks the
     * class loader, and every JDK module before it, for thirteen files). The caller passes it
     * only to a worker on this host with the same class path, the master's JVM options and no
     * Log4j setting of its own.
     */
    public static boolean lazyFactoryForWorkers() {
        Boolean lazy = lazyForWorkers;
        if (lazy == null) {
            lazy = !isLog4jConfigured() && Log4jBackend.isCore(WorkerLogging.class.getClassLoader());
            lazyForWorkers = lazy;
        }
        return lazy;
    }

    /**
     * Initialises, on a daemon thread, what the registration handshake needs and the main
     * thread would otherwise meet late: the first JCA provider, its SHA-256 (the handshake's
     * HMAC) and the seed of a {@code SecureRandom}, while the main thread reads the bootstrap and
     * scans the plugins; and what the first log message needs: the time-zone data
     * ({@link TimeZoneData}), read now when logging may start at any time, or only a file
     * descriptor held for it when Log4j core starts at the first printed line
     * ({@link LazyLog4jContextFactory}, which reads the data then).
     */
    public static void warmUpInBackground() {
        boolean lazy = LAZY_FACTORY.equals(System.getProperty(FACTORY_PROPERTY));
        Thread thread = new Thread(new WarmUp(lazy), "rpc-parallel-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** The warm-up thread's work: a named class, not a lambda to link first thing in every worker. */
    private static final class WarmUp implements Runnable {
        private final boolean lazy;

        WarmUp(boolean lazy) {
            this.lazy = lazy;
        }

        @Override
        public void run() {
            try {
                java.security.MessageDigest.getInstance("SHA-256").digest(new byte[1]);
                new java.security.SecureRandom().nextInt();
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // The handshake will meet the same problem and report it.
            }
            try {
                if (lazy) {
                    TimeZoneData.reserveDescriptor();
                } else {
                    TimeZoneData.load();
                }
            } catch (RuntimeException e) {
                // The first log line will meet the same problem.
            }
        }
    }

    static boolean isLog4jConfigured() {
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("log4j") || name.startsWith("org.apache.logging.log4j")
                    || name.startsWith("Log4j")) {
                return true;
            }
        }
        for (String name : System.getenv().keySet()) {
            if (name.startsWith("LOG4J_")) {
                return true;
            }
        }
        ClassLoader loader = WorkerLogging.class.getClassLoader();
        for (String name : CONFIGURATION_NAMES) {
            if (loader.getResource(name) != null) {
                return true;
            }
        }
        return false;
    }
}
