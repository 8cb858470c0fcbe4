package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link TestMaster} running in its own JVM, with its stdout read line by line. */
final class MasterProcess implements AutoCloseable {
    /** Queued after the master's last line: its stdout has ended. */
    private static final String END_OF_OUTPUT = new String("(end of output)");
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private MasterProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the master is gone
            }
            lines.add(END_OF_OUTPUT);
        }, "test-master-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static MasterProcess start(Map<String, String> environment, String... args) throws IOException {
        return start(TestMaster.class, List.of(), environment, args);
    }

    /** A master started with these JVM options (before its class path). */
    static MasterProcess start(List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException {
        return start(TestMaster.class, jvmOptions, environment, args);
    }

    /** A master whose main class is {@code main}, with its stdin left open for the test to write to. */
    static MasterProcess start(Class<?> main, Map<String, String> environment, String... args) throws IOException {
        return start(main, List.of(), environment, args);
    }

    /** Starts {@code mainClass} as a master in its own JVM, with these JVM options. */
    static MasterProcess start(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        return new MasterProcess(builder.start());
    }

    /** Waits for the line READY and returns the lines before it. */
    List<String> awaitReady(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the test master did not print READY within " + seconds + " s; it printed " + seen);
            }
            if (line == END_OF_OUTPUT) {
                throw new AssertionError("the test master ended its output without READY; it printed " + seen);
            }
            if (line.equals("READY")) {
                return List.copyOf(seen);
            }
            seen.add(line);
        }
    }

    Process process() {
        return process;
    }

    /** The next line the master prints, waiting at most {@code seconds}. */
    String nextLine(long seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the test master printed nothing within " + seconds + " s");
        }
        seen.add(line);
        return line;
    }

    /** Every process whose command line names this master as its parent, as {@code ps} shows them. */
    List<ProcessHandle> workers() {
        String marker = "child-of-" + process.pid() + "@";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .toList();
    }

    /**
     * Whether a process is still running: alive and not a zombie. A worker whose parent is
     * stopped has exited but stays a zombie until the parent reaps it.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
            // The state follows the command name, which is in parentheses and may contain spaces.
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** What {@code ps} says of those of these processes still alive, for failure messages. */
    static String describeAlive(List<ProcessHandle> processes) throws IOException, InterruptedException {
        List<String> pids = processes.stream().filter(MasterProcess::isRunning).map(p -> Long.toString(p.pid())).toList();
        if (pids.isEmpty()) {
            return "none alive";
        }
        Process ps = new ProcessBuilder("ps", "-o", "pid,ppid,stat,etime,args", "-p", String.join(",", pids))
                .redirectErrorStream(true).start();
        String text = new String(ps.getInputStream().readAllBytes(), UTF_8);
        ps.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    /**
     * Ends the master as a user would first: SIGTERM, so that its shutdown hook ends its workers
     * and finishes its files; SIGKILL only if it has not exited within a few seconds, or at once
     * if it is stopped (a stopped process does not act on SIGTERM).
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        if (!isStopped(process.pid())) {
            process.destroy();
            try {
                if (process.waitFor(5, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
    }

    private static boolean isStopped(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
