package dev.rpcparallel.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The round trip's calls of every contender, written by the harness's {@code tail} figure for
 * the tail's profile ({@code benchmarks/tail-profile}, read by {@link TailAttribution}): when
 * each call began and how long it took, on the clock of {@link System#nanoTime} (Linux's
 * {@code CLOCK_MONOTONIC}, the clock {@code perf record -k CLOCK_MONOTONIC} stamps the
 * scheduler's events with), and which processes and thread were whose. A text file:
 *
 * <pre>
 * harness PID CALLER_TID
 * thread TID NAME               (the Java names of the JVMs' threads, where jcmd could tell them)
 * contender CHILD_PID NAME
 * START_NANOS LENGTH_NANOS      (one line per call of the contender above)
 * </pre>
 *
 * Contenders that time their own calls elsewhere (Python's, in its driver) are listed with no
 * calls: their children are still named in the profile. The kernel knows a JVM's threads by the
 * first 15 characters of their names, and many of them only as {@code java}; their Java names
 * are read with {@code jcmd PID Thread.print} (the native id, {@code nid}, is the kernel's
 * thread id) from the harness and each child still running when the trace is written.
 */
final class TailTrace {
    /** The system property naming the file the {@code tail} figure writes. */
    static final String PROPERTY = "bench.tailTrace";

    private TailTrace() {}

    static void write(Path file, Map<Peer, PeerSession> sessions, Map<Peer, Samples> samples, Set<Peer> failed)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("harness " + ProcessHandle.current().pid() + " " + callerThreadId() + "\n");
            List<Long> jvms = new ArrayList<>();
            jvms.add(ProcessHandle.current().pid());
            sessions.values().forEach(session -> {
                if (isJvm(session.pid())) {
                    jvms.add(session.pid());
                }
            });
            for (long pid : jvms) {
                for (Map.Entry<Long, String> thread : javaThreadNames(pid).entrySet()) {
                    out.write("thread " + thread.getKey() + " " + thread.getValue() + "\n");
                }
            }
            for (Map.Entry<Peer, PeerSession> entry : sessions.entrySet()) {
                Peer peer = entry.getKey();
                if (failed.contains(peer)) {
                    continue;
                }
                String name = peer instanceof RpcParallelPeer ours ? ours.name() + " (" + ours.transport() + ")"
                        : peer.name();
                out.write("contender " + entry.getValue().pid() + " " + name + "\n");
                Samples calls = samples.get(peer);
                if (calls.hasStarts()) {
                    for (int i = 0; i < calls.size(); i++) {
                        out.write(calls.start(i) + " " + calls.value(i) + "\n");
                    }
                }
            }
        }
    }

    /**
     * The Java threads of JVM {@code pid} by their kernel thread ids, from {@code jcmd PID
     * Thread.print} of this JVM's JDK; none if it is not a JVM or jcmd cannot tell (only names
     * are lost: the profile then shows the kernel's).
     */
    static Map<Long, String> javaThreadNames(long pid) {
        Map<Long, String> names = new LinkedHashMap<>();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return names;
        }
        Path output = null;
        try {
            output = Files.createTempFile("rpc-parallel-threads-", ".txt");
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return names;
            }
            Matcher thread = THREAD_LINE.matcher(Files.readString(output, StandardCharsets.UTF_8));
            while (thread.find()) {
                String nid = thread.group(2);
                // Hexadecimal up to JDK 17, decimal from JDK 18 (JDK-8268425).
                names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid),
                        thread.group(1));
            }
        } catch (IOException e) {
            return names;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // A temporary file left.
                }
            }
        }
        return names;
    }

    /** Whether process {@code pid} runs a {@code java} binary (Python's children do not: jcmd would wait for them). */
    private static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> c.endsWith("/java")).orElse(false);
    }

    /** A thread's line in a thread dump: its quoted name, then, later on the line, {@code nid=0x...}. */
    private static final Pattern THREAD_LINE = Pattern.compile("(?m)^\"(.*)\" .*? nid=(0x[0-9a-f]+|[0-9]+) ");

    /** This thread's id in the kernel (its scheduler events carry it): {@code /proc/thread-self} names it. */
    private static long callerThreadId() throws IOException {
        Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Long.parseLong(self.getFileName().toString());
    }
}
