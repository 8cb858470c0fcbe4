package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.launcher.testplugins.LogProbe;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's logging wins: a master run on the class path an application has (the
 * launcher's runtime dependencies as Maven gives them to it, without the optional log4j-core,
 * with SLF4J 2 instead of libthrift's 1.7, plus the application's backend and its configuration
 * file), and its worker, which shares that class path, log in the application's format; no
 * SLF4J or Log4j status warning appears. The jars are put under target/app-logging by the
 * dependency plugin (see the pom).
 */
class ApplicationLoggingIT {
    private static final Path JARS = Path.of("target", "app-logging");
    private static final String WORKER = "[worker log-probe] ";

    @Test
    void aLogbackApplicationsWorkerLogsThroughLogbackInItsFormatWithoutSlf4jWarnings(@TempDir Path config)
            throws Exception {
        Files.writeString(config.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>LOGBACK-APP %level [%logger] %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Output output = runMaster(config, JARS.resolve("logback"));

        assertThat(output.stdout()).contains(
                "LOGBACK-APP WARN [" + AppLoggingMaster.class.getName() + "] master: started",
                WORKER + "LOGBACK-APP WARN [" + LogProbe.class.getName() + "] log4j-api: from the worker",
                WORKER + "LOGBACK-APP WARN [" + LogProbe.SLF4J_LOGGER + "] slf4j: from the worker",
                // Log4j core is absent, so the log stream says that it captures nothing, and why.
                "STREAMED WARN this worker's log events are not streamed: it logs through"
                        + " org.apache.logging.slf4j.SLF4JLoggerContextFactory, and only Log4j core's events"
                        + " can be captured (add log4j-core to the application to stream them);"
                        + " they go to the worker's own log output",
                "DONE");
        assertNoLoggingWarnings(output);
    }

    @Test
    void aLog4j2ApplicationsWorkerLogsThroughItsConfigurationAndSlf4jGoesToLog4j(@TempDir Path config)
            throws Exception {
        Files.writeString(config.resolve("log4j2.xml"), """
                <Configuration status="warn">
                  <Appenders>
                    <Console name="OUT" target="SYSTEM_OUT"><PatternLayout pattern="LOG4J2-APP %level [%logger] %msg%n"/></Console>
                  </Appenders>
                  <Loggers><Root level="info"><AppenderRef ref="OUT"/></Root></Loggers>
                </Configuration>
                """);
        Output output = runMaster(config, JARS.resolve("log4j2"));

        assertThat(output.stdout()).contains(
                "LOG4J2-APP WARN [" + AppLoggingMaster.class.getName() + "] master: started",
                WORKER + "LOG4J2-APP WARN [" + LogProbe.class.getName() + "] log4j-api: from the worker",
                WORKER + "LOG4J2-APP WARN [" + LogProbe.SLF4J_LOGGER + "] slf4j: from the worker",
                "STREAMED WARN log4j-api: from the worker",
                "DONE");
        assertNoLoggingWarnings(output);
    }

    private static void assertNoLoggingWarnings(Output output) {
        for (String stream : List.of(output.stdout(), output.stderr())) {
            // SLF4J's own messages ("SLF4J: Class path contains multiple SLF4J bindings",
            // "SLF4J(W): No SLF4J providers were found", ...), on the master's or a worker's output.
            assertThat(stream.lines().map(line -> line.replaceFirst("^\\[worker [^]]*] ", "")))
                    .noneMatch(line -> line.startsWith("SLF4J"));
            assertThat(stream).doesNotContain("StatusLogger", "Log4j2 could not find", "logging provider")
                    .doesNotContain("|-WARN", "|-ERROR"); // Logback's own status messages
        }
    }

    private record Output(String stdout, String stderr) {}

    /** Runs {@link AppLoggingMaster} on the application's class path and returns what it printed. */
    private static Output runMaster(Path config, Path backendJars) throws Exception {
        List<String> classpath = new ArrayList<>();
        classpath.add(config.toString());
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        classpath.add(Path.of("target", "classes").toAbsolutePath().toString());
        String launcherRuntime = Files.readString(JARS.resolve("launcher-runtime.classpath"), UTF_8).strip();
        classpath.addAll(List.of(launcherRuntime.split(File.pathSeparator)));
        try (Stream<Path> jars = Files.list(backendJars)) {
            jars.map(jar -> jar.toAbsolutePath().toString()).sorted().forEach(classpath::add);
        }
        assertThat(classpath).noneMatch(entry -> entry.contains("log4j-core") && backendJars.endsWith("logback"))
                .noneMatch(entry -> entry.contains("slf4j-api-1."));

        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", String.join(File.pathSeparator, classpath), AppLoggingMaster.class.getName());
        Process master = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(master.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(master.getErrorStream()));
        try {
            boolean exited = master.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                master.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // its output then ends
            }
            String out = stdout.get(10, TimeUnit.SECONDS);
            String err = stderr.get(10, TimeUnit.SECONDS);
            assertThat(exited).as("the master exited; it printed:%n%s%nand on stderr:%n%s", out, err).isTrue();
            assertThat(master.exitValue()).as("the master's exit status; it printed:%n%s%nand on stderr:%n%s", out, err)
                    .isZero();
            return new Output(out, err);
        } finally {
            master.destroyForcibly();
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
