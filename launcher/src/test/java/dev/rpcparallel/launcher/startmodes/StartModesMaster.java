package dev.rpcparallel.launcher.startmodes;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.fork.WorkerCommand;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A master for {@link dev.rpcparallel.launcher.WorkerStartModesIT}, printing one line per spawn:
 * {@code NAME: answer} or {@code NAME failed: message}. Its first argument says what to spawn:
 *
 * <ul>
 *   <li>{@code relative WORKDIR}: an echo worker in another working directory, the master's class
 *       path being relative to its own; then one whose class path is that directory alone;
 *   <li>{@code modules}: an echo worker with the defaults, the runtime being on the module path
 *       (the line {@code RUNTIME MODULE name} says so);
 *   <li>{@code opaque CLASSPATH}: run inside {@link OpaqueClassLoader}, so the runtime cannot tell
 *       its class path: an echo worker with the defaults (fails), then with
 *       {@code SpawnOptions.workerClasspath}, then with {@code SpawnOptions.workerCommand}.
 * </ul>
 */
public final class StartModesMaster {
    private StartModesMaster() {}

    public static void main(String[] args) throws Exception {
        Parallel.startApp(args, arguments -> {
            switch (arguments[0]) {
                case "relative" -> {
                    spawnAndCall("relative", SpawnOptions.builder().workingDirectory(Path.of(arguments[1])).build());
                    // A class path without the runtime: the worker's JVM cannot load its main class.
                    spawnAndCall("missing", SpawnOptions.builder().workerClasspath(List.of(Path.of(arguments[1])))
                            .build());
                }
                case "modules" -> {
                    System.out.println("RUNTIME MODULE " + WorkerCommand.class.getModule().getName());
                    spawnAndCall("modules", SpawnOptions.defaults());
                }
                case "opaque" -> {
                    System.out.println("LOADER " + StartModesMaster.class.getClassLoader().getClass().getSimpleName());
                    spawnAndCall("defaults", SpawnOptions.defaults());
                    List<Path> classPath = new ArrayList<>();
                    for (String entry : arguments[1].split(File.pathSeparator)) {
                        classPath.add(Path.of(entry));
                    }
                    spawnAndCall("classpath", SpawnOptions.builder().workerClasspath(classPath).build());
                    Path script = Files.createTempFile("start-modes-worker", ".sh");
                    try {
                        Files.writeString(script, "#!/bin/sh\nexec \"" + WorkerCommand.javaBinary() + "\" -cp \""
                                + arguments[1] + "\" " + WorkerCommand.WORKER_MAIN + " \"$@\"\n");
                        script.toFile().setExecutable(true);
                        spawnAndCall("command", SpawnOptions.builder().workerCommand(List.of(script.toString())).build());
                    } finally {
                        Files.delete(script);
                    }
                }
                default -> throw new IllegalArgumentException(arguments[0]);
            }
            System.out.println("DONE");
            System.out.flush();
        });
    }

    private static void spawnAndCall(String name, SpawnOptions options) {
        try (Connection echo = Parallel.spawnAndConnect(Echo.TYPE, name + ": ", "start-modes", options)) {
            System.out.println(echo.call(Echo.ECHO, "answered"));
        } catch (SpawnException e) {
            System.out.println(name + " failed: " + e.getMessage().replace('\n', ' '));
        }
    }
}
