package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Redirect;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.protocol.Messages;
import dev.rpcparallel.launcher.protocol.handshake.SecretProof;
import dev.rpcparallel.launcher.protocol.ServerRole;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends a worker running with {@code -Xmx64m} more than 10,000 random, truncated, oversize and
 * bit-flipped frames, before and after authentication, while a legitimate client keeps calling
 * it: every legitimate call must be answered right, the worker must stay alive, and its heap
 * must stay small.
 */
class FuzzIT {
    private static final int FRAMES = 12_000;
    private static final long HEAP_BOUND = 48L * 1024 * 1024;

    @TempDir
    Path dir;

    private LauncherRuntime application;
    private WorkerRef worker;
    private final Random random = new Random(20261123L);
    private int[] functionIds;
    private int countNestedId;

    @BeforeEach
    void spawn() {
        application = new LauncherRuntime();
        // Raw frames over TCP (RawPeer): the worker listens on the thrift transport, named.
        application.initMaster(RpcSettings.defaults().withTransport("thrift"));
        worker = application.spawn(Echo.TYPE, "fuzzed:", SpawnOptions.builder().name("fuzzed")
                .addJvmOptions("-Xmx64m")
                .redirectStdout(Redirect.toFile(dir.resolve("worker.out")))
                .redirectStderr(Redirect.toFile(dir.resolve("worker.err")))
                .build());
        var type = application.registry().require("echo");
        functionIds = type.functions().stream().mapToInt(f -> f.id()).toArray();
        countNestedId = type.function(Echo.COUNT_NESTED).orElseThrow().id();
    }

    @AfterEach
    void shutDown() {
        application.shutdownAll();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void garbageBeforeAndAfterAuthenticationLeavesTheWorkerServing() throws Exception {
        ConcurrentLinkedQueue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        AtomicLong legitimateCalls = new AtomicLong();
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        Thread legitimate = new Thread(() -> {
            try (Connection connection = application.connect(worker, "legit")) {
                long i = 0;
                while (fuzzing.get()) {
                    i++;
                    String echoed = connection.call(Echo.ECHO, "call " + i);
                    if (!echoed.equals("fuzzed:call " + i)) {
                        wrongAnswers.add("echo " + i + " -> " + echoed);
                    }
                    long sum = connection.call(Echo.ADD, new Echo.Pair(i, 2 * i));
                    if (sum != 3 * i) {
                        wrongAnswers.add("add " + i + " -> " + sum);
                    }
                    legitimateCalls.addAndGet(2);
                    Thread.sleep(5);
                }
            } catch (Throwable e) {
                wrongAnswers.add("legitimate client failed: " + e);
            }
        }, "legitimate-client");
        legitimate.start();
        // The worker's own log, to see that failed handshakes are logged with the peer's address.
        Connection logConnection = application.connect(worker, "logs");
        RemoteStream<LogEvent> logs = logConnection.logs();
        AtomicLong refusalsLogged = new AtomicLong();
        ConcurrentLinkedQueue<String> authenticationFailures = new ConcurrentLinkedQueue<>();
        Thread logReader = new Thread(() -> {
            try {
                for (LogEvent event : logs) {
                    if (event.message().contains("closed a connection from")) {
                        refusalsLogged.incrementAndGet();
                    }
                    if (event.message().contains("failed authentication") && authenticationFailures.size() < 3) {
                        authenticationFailures.add(event.level() + " " + event.message());
                    }
                }
            } catch (RuntimeException e) {
                // closed at the end
            }
        }, "log-reader");
        logReader.setDaemon(true);
        logReader.start();

        long started = System.nanoTime();
        long preAuthFrames = 0;
        long postAuthFrames = 0;
        long connections = 0;
        long deadline = started + TimeUnit.SECONDS.toNanos(60);
        while ((preAuthFrames < FRAMES / 2 || postAuthFrames < FRAMES / 2) && System.nanoTime() < deadline) {
            if (preAuthFrames < FRAMES / 2) {
                preAuthFrames += unauthenticatedConnection();
                connections++;
            }
            if (postAuthFrames < FRAMES / 2) {
                postAuthFrames += authenticatedConnection();
                connections++;
            }
        }
        double fuzzSeconds = (System.nanoTime() - started) / 1e9;
        fuzzing.set(false);
        legitimate.join(30_000);
        logs.close();
        logConnection.close();

        long heapUsed;
        long pid;
        try (Connection connection = application.connect(worker, "after")) {
            assertThat(connection.call(Echo.ECHO, "still here")).isEqualTo("fuzzed:still here");
            heapUsed = connection.call(Echo.HEAP_USED, null);
            pid = connection.call(Echo.PID, null);
        }
        System.out.printf("FuzzIT: %d frames (%d before, %d after authentication) on %d connections in %.1f s;"
                        + " %d legitimate calls answered; %d connections refused and logged; worker heap after"
                        + " fuzzing %.1f MiB (-Xmx64m); e.g. %s%n",
                preAuthFrames + postAuthFrames, preAuthFrames, postAuthFrames, connections, fuzzSeconds,
                legitimateCalls.get(), refusalsLogged.get(), heapUsed / 1048576.0, authenticationFailures.peek());

        assertThat(wrongAnswers).isEmpty();
        assertThat(preAuthFrames + postAuthFrames).isGreaterThanOrEqualTo(10_000);
        assertThat(legitimateCalls.get()).isGreaterThan(0);
        assertThat(heapUsed).isLessThan(HEAP_BOUND);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        String output = Files.readString(dir.resolve("worker.out")) + Files.readString(dir.resolve("worker.err"));
        assertThat(output).doesNotContain("OutOfMemoryError");
        assertThat(authenticationFailures).isNotEmpty().allMatch(line -> line.matches(
                "WARN worker 'fuzzed' closed a connection from 127\\.0\\.0\\.1:\\d+ that failed authentication: .*"));
    }

    // ------------------------------------------------------------ before authentication

    /** One connection that never authenticates: a few bad frames, then close. Returns the frames sent. */
    private int unauthenticatedConnection() {
        int frames = 1 + random.nextInt(4);
        int sent = 0;
        try (RawPeer peer = RawPeer.connect(worker)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < frames; i++) {
                batch.writeBytes(unauthenticatedFrame());
                sent++;
            }
            peer.write(batch.toByteArray());
        } catch (IOException e) {
            // The worker closed it, as it should.
        }
        return sent;
    }

    private byte[] unauthenticatedFrame() {
        return switch (random.nextInt(9)) {
            case 0 -> randomBytes(1 + random.nextInt(64)); // random, length prefix included
            case 1 -> RawPeer.withLengthPrefix(Integer.MAX_VALUE, randomBytes(16)); // oversize
            case 2 -> RawPeer.withLengthPrefix(-1 - random.nextInt(1000), randomBytes(16)); // negative length
            case 3 -> RawPeer.withLengthPrefix(17 * 1024 + random.nextInt(1 << 20), randomBytes(32)); // over 16 KiB
            case 4 -> truncated(hello()); // truncated
            case 5 -> flipBits(hello()); // bit-flipped
            case 6 -> RawPeer.framed(RawPeer.frame(RawPeer.HELLO, 0, 0, randomBytes(random.nextInt(200)))); // bad HELLO
            case 7 -> RawPeer.framed(RawPeer.frame(RawPeer.CALL, random.nextLong(), 1, RawPeer.stringArg("x"))); // no HELLO
            default -> wrongProof();
        };
    }

    private byte[] hello() {
        return RawPeer.framed(RawPeer.frame(RawPeer.HELLO, 0, 0, Messages.HELLO.encode(new Messages.Hello(
                Messages.PROTOCOL_VERSION, SecretProof.nonce(), worker.id(), application.registry().fingerprint(),
                ServerRole.WORKER))));
    }

    /** A HELLO followed by an AUTH whose proof is made with another secret. */
    private byte[] wrongProof() {
        byte[] otherSecret = randomBytes(32);
        byte[] auth = RawPeer.framed(RawPeer.frame(RawPeer.AUTH, 0, 0, Messages.AUTH.encode(new Messages.Auth(
                SecretProof.clientProof(otherSecret, ServerRole.WORKER, worker.id(), new byte[32], new byte[32]),
                new byte[0], false))));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(hello());
        both.writeBytes(auth);
        return both.toByteArray();
    }

    // ------------------------------------------------------------ after authentication

    /**
     * One authenticated connection sending bad frames until the worker closes it (or 200 frames).
     * Returns the frames sent.
     */
    private int authenticatedConnection() {
        int sent = 0;
        try (RawPeer peer = RawPeer.authenticated(worker, application.context().secret(), application.registry().fingerprint(),
                RawPeer.stringArg("fuzzer"))) {
            peer.drainInBackground();
            int limit = 1 + random.nextInt(200);
            while (sent < limit) {
                peer.write(authenticatedFrame());
                sent++;
            }
        } catch (IOException e) {
            // The worker closed it after a frame that breaks the protocol.
        }
        return sent;
    }

    private byte[] authenticatedFrame() {
        long callId = 1 + random.nextInt(1000);
        return switch (random.nextInt(14)) {
            // Garbage arguments to real functions: the codec refuses them, the call fails, the connection stays.
            case 0, 1, 2 -> RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, realFunction(), randomBytes(random.nextInt(300))));
            // Unknown function ids (never the built-in shutdown or close-server).
            case 3 -> RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, unknownFunction(), randomBytes(random.nextInt(50))));
            // Deep nesting in a record argument, and lists that declare two billion elements.
            case 4 -> RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, countNestedId, deepNesting()));
            case 5 -> RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, countNestedId, hugeList()));
            // Frames of the wrong kind for the call: stream frames for calls that are no streams,
            // and elements flooding a log stream that takes none.
            case 6 -> RawPeer.framed(RawPeer.frame(RawPeer.ELEMENT + random.nextInt(4), callId, 0, randomBytes(random.nextInt(20))));
            case 7 -> logStreamFlood(callId);
            // A CHUNK announcing a payload far larger than what follows, or than any message.
            case 8 -> RawPeer.framed(RawPeer.frame(RawPeer.CHUNK, callId,
                    random.nextBoolean() ? 200_000_000 + random.nextInt(50_000_000) : random.nextInt(), randomBytes(100)));
            // A payload declaring a length far beyond its frame, or a negative one.
            case 9 -> RawPeer.framed(RawPeer.frameWithDeclaredLength(RawPeer.CALL, callId, realFunction(),
                    1_000_000_000 + random.nextInt(1_000_000_000), randomBytes(10)));
            case 10 -> RawPeer.framed(RawPeer.frameWithDeclaredLength(RawPeer.CALL, callId, realFunction(),
                    -1 - random.nextInt(1_000_000), randomBytes(10)));
            // A frame header declaring far more than any frame may hold.
            case 11 -> RawPeer.withLengthPrefix(100_000_000 + random.nextInt(1_000_000_000), randomBytes(64));
            case 12 -> flipBits(RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, realFunction(), RawPeer.stringArg("flip"))));
            default -> truncated(RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, realFunction(), randomBytes(40))));
        };
    }

    private int realFunction() {
        return functionIds[random.nextInt(functionIds.length)];
    }

    private int unknownFunction() {
        while (true) {
            int id = random.nextBoolean() ? random.nextInt() : -10 + random.nextInt(100);
            if (id != -1 && id != -5 && (id <= 0 || id > functionIds.length)) {
                return id; // -1 shutdown, -5 close-server: legitimate for an authenticated peer
            }
        }
    }

    /** A LOGS call, then more elements than any window allows. */
    private byte[] logStreamFlood(long callId) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(RawPeer.framed(RawPeer.frame(RawPeer.CALL, callId, -6, new byte[0])));
        for (int i = 0; i < 300; i++) {
            b.writeBytes(RawPeer.framed(RawPeer.frame(RawPeer.ELEMENT, callId, 0, randomBytes(50))));
        }
        b.writeBytes(RawPeer.framed(RawPeer.frame(RawPeer.CANCEL, callId, 0, new byte[0])));
        return b.toByteArray();
    }

    /** Field 1 as a list of lists of lists ... 20,000 levels deep, or an unknown field of nested structs. */
    private byte[] deepNesting() {
        int depth = 20_000;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (random.nextBoolean()) {
            b.write(0x19); // field 1, list
            for (int i = 0; i < depth; i++) {
                b.write(0x19); // a list of one list
            }
        } else {
            for (int i = 0; i < depth; i++) {
                b.write(0x2C); // field 2 (unknown), struct
            }
        }
        return b.toByteArray();
    }

    /** Field 1 as a list declaring about two billion lists, with a few bytes behind it. */
    private byte[] hugeList() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x19);
        b.write(0xF9); // size follows, elements are lists
        RawPeer.varint(b, Integer.MAX_VALUE - random.nextInt(100));
        b.writeBytes(randomBytes(20));
        return b.toByteArray();
    }

    // ------------------------------------------------------------ mutations

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] truncated(byte[] frame) {
        return java.util.Arrays.copyOf(frame, random.nextInt(frame.length));
    }

    private byte[] flipBits(byte[] frame) {
        byte[] copy = frame.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int bit = random.nextInt(copy.length * 8);
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return copy;
    }
}
