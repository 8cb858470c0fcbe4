package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Liveness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A master application run as its own JVM by the tests of liveness: masters killed during a
 * spawn, and a whole job paused. Prints what the test needs on stdout, one fact per line.
 */
public final class LivenessTestMaster {
    private LivenessTestMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            switch (masterArgs[0]) {
                case "slow-plugin" -> slowPlugin(masterArgs[1]);
                case "init-forever" -> initForever(masterArgs[1], ShutdownOn.valueOf(masterArgs[2]));
                case "spawn" -> spawn(Integer.parseInt(masterArgs[1]));
                case "job" -> job(Integer.parseInt(masterArgs[1]));
                default -> throw new IllegalArgumentException("unknown scenario " + masterArgs[0]);
            }
        });
    }

    private static SpawnOptions.Builder patient() {
        return SpawnOptions.builder().spawnTimeout(Duration.ofMinutes(10));
    }

    /**
     * Spawns a worker whose plugin (of the type it serves: a worker makes no other) takes a
     * minute to load (it writes {@code marker} as it starts).
     */
    private static void slowPlugin(String marker) {
        System.out.println("SPAWNING");
        System.out.flush();
        Parallel.spawn(Liveness.TYPE, "", patient().name("slow-plugin")
                .addJvmOptions("-D" + Liveness.SLOW_LOAD_MARKER + "=" + marker, "-D" + Liveness.SLOW_LOAD_MILLIS + "=60000")
                .build());
        throw new IllegalStateException("the spawn of a worker whose plugins load for a minute returned");
    }

    /** Spawns a worker whose state init never ends (it writes {@code marker} as it starts). */
    private static void initForever(String marker, ShutdownOn mode) {
        System.out.println("SPAWNING");
        System.out.flush();
        Parallel.spawn(Liveness.TYPE, marker, patient().name("init-forever").shutdownOn(mode).build());
        throw new IllegalStateException("the spawn of a worker whose state init never ends returned");
    }

    /** Spawns {@code count} workers at once, prints READY, and waits to be killed. */
    private static void spawn(int count) throws InterruptedException {
        List<Thread> spawners = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "spawned-" + i;
            Thread spawner = new Thread(() -> Parallel.spawn(Liveness.TYPE, "", patient().name(name).build()));
            spawner.start();
            spawners.add(spawner);
        }
        for (Thread spawner : spawners) {
            spawner.join();
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * Spawns {@code count} workers and connects to each; prints {@code WORKER pid} for each and
     * READY. Then, for each line {@code call} on stdin, calls every worker and prints
     * {@code ANSWERED pid,pid...} or {@code FAILED error}. A worker's failure callback prints
     * {@code LOST message}.
     */
    private static void job(int count) throws IOException {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WorkerRef worker = Parallel.spawn(Liveness.TYPE, "", SpawnOptions.builder().name("job-" + i)
                    .onFailure(failure -> {
                        System.out.println("LOST " + failure.getMessage().lines().findFirst().orElse(""));
                        System.out.flush();
                    })
                    .build());
            Connection connection = Parallel.connect(worker);
            connections.add(connection);
            System.out.println("WORKER " + connection.call(Liveness.PID, null));
        }
        System.out.println("READY");
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            if (command.equals("call")) {
                try {
                    System.out.println("ANSWERED " + connections.stream().map(c -> c.call(Liveness.PID, null).toString())
                            .collect(Collectors.joining(",")));
                } catch (RuntimeException e) {
                    System.out.println("FAILED " + e);
                }
                System.out.flush();
            }
        }
    }
}
