package dev.rpcparallel.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Python 3's {@code concurrent.futures.ProcessPoolExecutor} with the {@code spawn} or
 * {@code forkserver} start method, one worker per pool. The caller of a process pool is Python,
 * so a Python driver ({@code peers/process_pool_peer.py}, standard library only) makes the calls
 * and times them itself; this class sends it one command a line and reads its answers. Its
 * start to first answer is timed from the pool's creation; the driver has made and shut down a
 * pool before (the harness's warm-up), so with {@code forkserver} the fork server is running, as
 * in a program that uses the method more than once.
 */
final class PythonPoolPeer implements Peer {
    private static final String SCRIPT = "peers/process_pool_peer.py";

    private final String method;
    private final Path directory;
    private final Process driver;
    private final BufferedReader answers;
    private final Writer commands;
    private final String version;

    private PythonPoolPeer(String method, Path directory, Process driver, BufferedReader answers, String version) {
        this.method = method;
        this.directory = directory;
        this.driver = driver;
        this.answers = answers;
        this.commands = new OutputStreamWriter(driver.getOutputStream(), UTF_8);
        this.version = version;
    }

    /** {@code python3} on the PATH, if there is one. */
    static Optional<Path> python3() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "python3");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts the driver for {@code method} ({@code spawn} or {@code forkserver}). */
    static PythonPoolPeer start(Path python3, String method) throws IOException {
        Path directory = Files.createTempDirectory("rpc-parallel-bench-python-");
        Path script = directory.resolve("process_pool_peer.py");
        try (InputStream in = PythonPoolPeer.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("no " + SCRIPT + " on the harness's class path");
            }
            Files.copy(in, script);
        }
        Process driver = new ProcessBuilder(python3.toString(), script.toString(), method)
                .directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader answers = new BufferedReader(new InputStreamReader(driver.getInputStream(), UTF_8));
        String line = answers.readLine();
        if (line == null || !line.startsWith("python ")) {
            driver.destroyForcibly();
            deleteTree(directory);
            throw new IOException("the Python driver printed '" + line + "', not 'python VERSION METHOD'");
        }
        return new PythonPoolPeer(method, directory, driver, answers, line.substring("python ".length()));
    }

    /** {@code 3.11.7 spawn}. */
    String version() {
        return version;
    }

    @Override
    public String name() {
        return "Python " + method;
    }

    @Override
    public Started start() throws Exception {
        String[] answer = ask("start").split(" ");
        return new Started(new Session(answer[0], Long.parseLong(answer[2])), Long.parseLong(answer[1]));
    }

    /** Sends one command, returns what follows {@code ok} in its answer. */
    private synchronized String ask(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("the Python driver (" + method + ") exited during '" + command + "'");
        }
        if (line.equals("ok")) {
            return "";
        }
        if (!line.startsWith("ok ")) {
            throw new IOException("the Python driver (" + method + ") answered '" + command + "' with: " + line);
        }
        return line.substring(3);
    }

    @Override
    public void close() throws Exception {
        try {
            driver.getOutputStream().close();
            if (!driver.waitFor(60, TimeUnit.SECONDS)) {
                driver.destroyForcibly().waitFor();
            }
        } finally {
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private final class Session implements PeerSession {
        private final String id;
        private final long pid;

        Session(String id, long pid) {
            this.id = id;
            this.pid = pid;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public void roundTrips(byte[] payload, int calls, Samples into) throws Exception {
            for (String nanos : ask("rtt " + id + " " + payload.length + " " + calls).split(" ")) {
                into.add(Long.parseLong(nanos));
            }
        }

        @Override
        public double callsPerSecond(byte[] payload, int inFlight, double seconds) throws Exception {
            return Double.parseDouble(ask("rate " + id + " " + payload.length + " " + inFlight + " " + seconds));
        }

        @Override
        public double echoBytesPerSecond(byte[] payload, double seconds, int minCalls) throws Exception {
            return Double.parseDouble(ask("bytes " + id + " " + payload.length + " " + seconds + " " + minCalls));
        }

        @Override
        public void close() throws Exception {
            ask("stop " + id);
            SpawnFigures.awaitExit(pid);
        }
    }
}
