package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The processes of this machine that a test finds by its command line, read from {@code /proc}:
 * workers on the namespace hosts, ssh sessions and the JVMs of a pool are no children of the
 * test's JVM, so their markers are the only way to them. {@code /proc}, not
 * {@code ProcessHandle.Info}: a remote worker's command line (its whole class path) is too long
 * for the latter. Only running processes count
 * ({@link MasterProcess#isRunning}: a zombie has exited).
 */
final class LocalProcesses {
    private LocalProcesses() {}

    /**
     * The running JVMs whose command line contains {@code text}: only JVMs, since the ssh clients
     * and the remote wrapper shells carry the same words in theirs.
     */
    static List<ProcessHandle> javaWith(String text) {
        return ProcessHandle.allProcesses().filter(p -> {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            try {
                return Files.readString(proc.resolve("comm")).strip().equals("java")
                        && commandLine(proc).contains(text) && MasterProcess.isRunning(p);
            } catch (IOException | RuntimeException gone) {
                return false;
            }
        }).toList();
    }

    /** The pids of {@link #javaWith}. */
    static List<Long> javaPidsWith(String text) {
        return javaWith(text).stream().map(ProcessHandle::pid).toList();
    }

    /**
     * The running processes of any program, except {@code except}, whose command line contains
     * {@code text}: each as its pid and command line, to be shown when a test fails.
     */
    static List<String> describedWith(String text, long except) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> describe(p, text, except))
                    .filter(Objects::nonNull)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Path proc, String text, long except) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid == except) {
            return null;
        }
        try {
            String line = commandLine(proc);
            boolean running = ProcessHandle.of(pid).map(MasterProcess::isRunning).orElse(false);
            return line.contains(text) && running ? pid + " " + line : null;
        } catch (IOException gone) {
            return null;
        }
    }

    private static String commandLine(Path proc) throws IOException {
        return new String(Files.readAllBytes(proc.resolve("cmdline")), UTF_8).replace('\0', ' ');
    }
}
