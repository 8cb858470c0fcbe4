package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.LogProbe;
import java.util.Iterator;

/**
 * An application's master, run by {@link ApplicationLoggingIT} on the class path of an
 * application with its own logging backend: logs a WARN through SLF4J itself, spawns a
 * {@code log-probe} worker that logs a WARN through log4j-api and one through SLF4J, prints
 * the probe's first event in the worker's {@code logs()} stream (or the stream's notice that
 * it captures nothing) as {@code STREAMED LEVEL MESSAGE}, then
 * {@code DONE}, and returns.
 */
public final class AppLoggingMaster {
    private AppLoggingMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            org.slf4j.LoggerFactory.getLogger(AppLoggingMaster.class).warn("master: started");
            SpawnOptions options = SpawnOptions.builder().name("log-probe").build();
            try (Connection connection = Parallel.connect(Parallel.spawn(LogProbe.TYPE, null, options));
                    RemoteStream<LogEvent> logs = connection.logs()) {
                connection.call(LogProbe.WARN, "from the worker");
                Iterator<LogEvent> events = logs.iterator();
                LogEvent event = events.next();
                while (!event.logger().equals(LogProbe.class.getName()) && !event.logger().endsWith(".WorkerLogs")) {
                    event = events.next(); // the worker's own INFO events, if it logs any
                }
                System.out.println("STREAMED " + event.level() + " " + event.message());
            }
            System.out.println("DONE");
            System.out.flush();
        });
    }
}
