package dev.rpcparallel.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.launcher.fork.WorkerCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Child JVMs started the way rpc-parallel starts its workers (the same {@code java}, the
 * harness's JVM options, the same class path) but running a plain main class: the baselines.
 */
final class ChildJvms {
    private ChildJvms() {}

    /** A started child whose first line of output has been read. */
    record Child(Process process, BufferedReader stdout, List<String> firstLines) {
        /** Closes its stdin (a waiting {@link Hello} then exits) and waits for its exit. */
        void finish() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Starts {@code mainClass} and returns once it has printed {@code lines} lines, not counting
     * the JVM's own log lines ({@code [0.123s][info]...}, as with {@code -XX:StartFlightRecording});
     * its stderr goes to ours.
     */
    static Child start(Class<?> mainClass, int lines, String... args) throws IOException {
        return start(mainClass, lines, System.getProperty("java.class.path"), List.of(), args);
    }

    /**
     * As {@link #start(Class, int, String...)}, with {@code jvmOptions} after the harness's own
     * and the class path {@code classpath}.
     */
    static Child start(Class<?> mainClass, int lines, String classpath, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(WorkerCommand.javaBinary());
        command.addAll(WorkerCommand.inheritableJvmOptions());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        List<String> read = new ArrayList<>();
        while (read.size() < lines) {
            String line = stdout.readLine();
            if (line == null) {
                throw new IOException(mainClass.getSimpleName() + " exited before printing " + lines
                        + " lines; command: " + command);
            }
            if (!line.startsWith("[")) {
                read.add(line);
            }
        }
        return new Child(process, stdout, read);
    }

    /** {@code VmRSS} of a process in bytes, from {@code /proc/PID/status}. */
    static long residentBytes(long pid) throws IOException {
        return procKib(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:") * 1024;
    }

    /**
     * {@code Pss} (proportional set size: shared pages divided among their sharers) in bytes,
     * from {@code /proc/PID/smaps_rollup}; empty where the kernel does not offer it.
     */
    static Optional<Long> proportionalBytes(long pid) {
        try {
            return Optional.of(procKib(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:") * 1024);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long procKib(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file, UTF_8)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + key + " in " + file);
    }
}
