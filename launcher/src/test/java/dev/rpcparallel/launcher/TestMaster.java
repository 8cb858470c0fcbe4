package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A master application run as its own JVM by the tests that kill, stop or outlive a master.
 * Prints what the test needs on stdout, one fact per line, then {@code READY}.
 */
public final class TestMaster {
    private TestMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            switch (masterArgs[0]) {
                case "busy-workers" -> busyWorkers(Integer.parseInt(masterArgs[1]), Integer.parseInt(masterArgs[2]));
                case "called-shutdown" -> calledShutdown();
                case "called-shutdown-halt" -> calledShutdownThenHalt();
                case "settings" -> settings();
                case "warm-pool" -> warmPool(Integer.parseInt(masterArgs[1]));
                case "failed-spawn" -> failedSpawn();
                case "jvm-options" -> jvmOptions();
                default -> throw new IllegalArgumentException("unknown scenario " + masterArgs[0]);
            }
        });
    }

    /**
     * Spawns {@code ready} workers, half of them busy in a long call, plus {@code initializing}
     * workers that stay in a slow state init; prints READY and waits to be killed or stopped.
     */
    private static void busyWorkers(int ready, int initializing) throws InterruptedException {
        for (int i = 0; i < initializing; i++) {
            String name = "initializing-" + i;
            Thread spawner = new Thread(() -> Parallel.spawn(Echo.TYPE, "sleep-in-init",
                    SpawnOptions.builder().name(name).spawnTimeout(Duration.ofMinutes(10)).build()));
            spawner.setDaemon(true);
            spawner.start();
        }
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < ready; i++) {
            WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("ready-" + i).build());
            Connection connection = Parallel.connect(worker);
            connections.add(connection);
            if (i % 2 == 0) {
                connection.callAsync(Lifecycle.SLEEP, 600_000L);
                // In the call, not on its way: the worker says it is sleeping.
                while (connection.call(Lifecycle.SLEEPING, null) == 0) {
                    Thread.sleep(10);
                }
            }
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Spawns a worker that outlives its master, prints its pid, and returns: the master exits normally. */
    private static void calledShutdown() {
        WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("survivor")
                .shutdownOn(ShutdownOn.CALLED_SHUTDOWN).build());
        try (Connection connection = Parallel.connect(worker)) {
            System.out.println("WORKER " + connection.call(Lifecycle.PID, null));
        }
        System.out.println("READY");
    }

    /**
     * Spawns a worker that outlives its master and halts the moment the spawn returns (no
     * connection, no shutdown hooks): its stdin and its link end while the answer to its
     * registration may still be on its way to it.
     */
    private static void calledShutdownThenHalt() {
        Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("survivor-of-a-halt")
                .shutdownOn(ShutdownOn.CALLED_SHUTDOWN).build());
        System.out.println("WORKER " + WorkerProcesses.named("survivor-of-a-halt").orElseThrow().pid());
        System.out.println("READY");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Keeps {@code idle} workers warm, prints READY once they all are, and waits to be killed. */
    private static void warmPool(int idle) throws InterruptedException {
        LauncherRuntime runtime = new LauncherRuntime();
        runtime.keepWarm(idle, SpawnOptions.defaults());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (runtime.warmProcesses().size() < idle && System.nanoTime() < deadline) {
            Thread.sleep(20); // a master program polling its pool; the test itself waits with Awaitility
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Spawns a worker whose JVM cannot start (an unknown option), prints how it failed, READY, and waits. */
    private static void failedSpawn() throws InterruptedException {
        try {
            Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name("never-started")
                    .addJvmOptions("-XX:+NoSuchOptionAnywhere").build());
            System.out.println("SPAWNED");
        } catch (SpawnException e) {
            System.out.println("SPAWN FAILED");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * Prints this master's JVM options and those of two workers, one tab-separated line each:
     * {@code MASTER}, {@code INHERITING} (a spawn adding {@code -Drpcparallel.test.value=spawn}),
     * {@code REPLACING} (a spawn with {@code inheritJvmOptions(false)} and {@code -Xmx64m}); then
     * {@code VALUES}, the inheriting worker's {@code rpcparallel.test.value} and
     * {@code rpcparallel.test.inherited}.
     */
    private static void jvmOptions() {
        System.out.println("MASTER\t" + String.join("\t",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        try (Connection inheriting = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder()
                        .name("inheriting").addJvmOptions("-Drpcparallel.test.value=spawn").build()));
                Connection replacing = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder()
                        .name("replacing").inheritJvmOptions(false).addJvmOptions("-Xmx64m").build()))) {
            System.out.println("INHERITING\t" + String.join("\t", inheriting.call(Lifecycle.JVM_ARGS, null)));
            System.out.println("REPLACING\t" + String.join("\t", replacing.call(Lifecycle.JVM_ARGS, null)));
            System.out.println("VALUES\t" + inheriting.call(Lifecycle.PROPERTY, "rpcparallel.test.value")
                    + "\t" + inheriting.call(Lifecycle.PROPERTY, "rpcparallel.test.inherited"));
        }
        System.out.println("READY");
    }

    /** Prints the settings of the master, a spawned worker and a served worker. */
    private static void settings() {
        System.out.println("MASTER " + Parallel.settings());
        try (Connection spawned = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null));
                Connection served = Parallel.connect(Parallel.serve(Lifecycle.TYPE, null))) {
            System.out.println("SPAWNED " + spawned.call(Lifecycle.SETTINGS, null));
            System.out.println("SERVED " + served.call(Lifecycle.SETTINGS, null));
        }
        System.out.println("READY");
    }
}
