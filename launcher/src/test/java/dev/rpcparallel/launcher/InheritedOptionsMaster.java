package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A master run in its own JVM, with whatever JVM options its test starts it with: spawns the
 * workers named on its command line, prints for each {@code WORKER name pid} and one
 * {@code ARG name option} line per JVM option the worker runs with; for each {@code oom:NAME}
 * spawns a worker whose init runs out of heap, and prints {@code INIT-FAILED NAME}; then
 * {@code READY}; on the
 * line {@code STOP} read from stdin it shuts the workers down and returns.
 */
public final class InheritedOptionsMaster {
    private InheritedOptionsMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, workerNames -> {
            List<Connection> connections = new ArrayList<>();
            for (String name : workerNames) {
                if (name.startsWith("oom:")) {
                    fillHeap(name.substring("oom:".length()));
                    continue;
                }
                Connection connection = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null,
                        SpawnOptions.builder().name(name).build()));
                connections.add(connection);
                System.out.println("WORKER " + name + " " + connection.call(Lifecycle.PID, null));
                for (String option : connection.call(Lifecycle.JVM_ARGS, null)) {
                    System.out.println("ARG " + name + " " + option);
                }
            }
            System.out.println("READY");
            System.out.flush();
            awaitStop();
            for (Connection connection : connections) {
                connection.shutdownWorker();
                connection.close();
            }
        });
    }

    /** Spawns an echo worker whose init fills its small heap, and prints {@code INIT-FAILED name}. */
    private static void fillHeap(String name) {
        try {
            Parallel.spawn(Echo.TYPE, "fill-heap-in-init",
                    SpawnOptions.builder().name(name).addJvmOptions("-Xmx32m").build());
            System.out.println("SPAWNED " + name);
        } catch (RuntimeException e) {
            System.out.println("INIT-FAILED " + name);
        }
    }

    private static void awaitStop() {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("STOP"); line = in.readLine()) {
                // wait for STOP, or for the test to close stdin
            }
        } catch (IOException e) {
            // the test is gone: shut down
        }
    }
}
