package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.LargePayloads;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A master run as its own JVM by {@link ClassDataSharingIT}: spawns one worker with the JVM
 * options given as arguments, prints the worker's JVM options ({@code ARG ...}, one per line),
 * then {@code READY}, and returns, so that the worker is shut down and exits normally. With
 * {@code -D}{@value #HOLD}{@code =true} it keeps the worker and waits to be killed instead. With
 * {@code -D}{@value #FAIL_FIRST}{@code =OPTION} it first spawns a worker with that JVM option
 * added, which is to fail before it registers, and prints {@code FIRST FAILED: message}. With
 * {@code -D}{@value #FIRST_ANSWER}{@code =DIRECTORY} it spawns a {@code large-payloads} worker
 * instead, calls its {@code byte[]} echo once and, as soon as the answer is there, copies every
 * file of that directory (the worker's JVM logs, say) into its {@code first-answer/}.
 */
public final class CdsTestMaster {
    static final String HOLD = "cds.test.hold";
    static final String FAIL_FIRST = "cds.test.failFirst";
    static final String FAILING_NAME = "cds-failing";
    static final String FIRST_ANSWER = "cds.test.firstAnswer";

    private CdsTestMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            String failFirst = System.getProperty(FAIL_FIRST);
            if (failFirst != null) {
                try {
                    Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name(FAILING_NAME)
                            .addJvmOptions(masterArgs).addJvmOptions(failFirst).build());
                    System.out.println("FIRST SPAWNED");
                } catch (SpawnException e) {
                    System.out.println("FIRST FAILED: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            SpawnOptions.Builder options = SpawnOptions.builder().name("cds-probe").addJvmOptions(masterArgs);
            String firstAnswer = System.getProperty(FIRST_ANSWER);
            if (firstAnswer != null) {
                echoOnceAndKeepTheLogsOfTheFirstAnswer(options.build(), Path.of(firstAnswer));
                System.out.println("READY");
                return;
            }
            try (Connection connection = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null, options.build()))) {
                for (String argument : connection.call(Lifecycle.JVM_ARGS, null)) {
                    System.out.println("ARG " + argument);
                }
            }
            System.out.println("READY");
            System.out.flush();
            if (Boolean.getBoolean(HOLD)) {
                Thread.sleep(Long.MAX_VALUE);
            }
        });
    }

    private static void echoOnceAndKeepTheLogsOfTheFirstAnswer(SpawnOptions options, Path logs) throws IOException {
        try (Connection connection = Parallel.connect(Parallel.spawn(LargePayloads.TYPE, null, options))) {
            byte[] argument = new byte[32];
            byte[] answer = connection.call(LargePayloads.ECHO, argument);
            Path copies = Files.createDirectories(logs.resolve("first-answer"));
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, copies.resolve(file.getFileName()));
                }
            }
            if (answer.length != argument.length) {
                throw new IllegalStateException("the echo answered " + answer.length + " bytes");
            }
            connection.shutdownWorker();
        }
    }
}
