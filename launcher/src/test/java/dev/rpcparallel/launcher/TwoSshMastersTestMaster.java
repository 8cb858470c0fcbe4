package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Two masters in one JVM ({@code TwoSshMastersTestMaster TARGET PREFIX}): runtimes {@code a} and
 * {@code b}, each with the default launcher TARGET (the ssh command from the environment). {@code a}
 * spawns an echo worker first (named PREFIX-a-0), then {@code b} (PREFIX-b-0); it prints {@code > a PID} and {@code > b PID} (the
 * workers' pids), then READY, and obeys one command per line on stdin, answering one line each,
 * which starts with {@code "> "} (the masters' own log lines may come between):
 * {@code call b} (the pids of b's workers, or {@code b failed: MESSAGE}), {@code spawn b} (one more
 * worker of b: {@code b PID}), {@code shutdown a} / {@code shutdown b} ({@code a down},
 * {@code b down}). It exits at the end of its stdin.
 */
public final class TwoSshMastersTestMaster {
    private TwoSshMastersTestMaster() {}

    public static void main(String[] args) throws Exception {
        RpcSettings settings = RpcSettings.defaults().withLauncher(args[0]);
        LauncherRuntime a = new LauncherRuntime();
        a.initMaster(settings);
        LauncherRuntime b = new LauncherRuntime();
        b.initMaster(settings);
        String prefix = args[1];
        List<WorkerRef> ofB = new ArrayList<>();
        System.out.println("> a " + spawn(a, prefix + "-a-0"));
        WorkerRef first = b.spawn(Echo.TYPE, "", SpawnOptions.builder().name(prefix + "-b-0").build());
        ofB.add(first);
        System.out.println("> b " + pid(b, first));
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line) {
                case "call b" -> {
                    try {
                        List<Long> pids = new ArrayList<>();
                        for (WorkerRef worker : ofB) {
                            pids.add(pid(b, worker));
                        }
                        System.out.println("> b answers " + pids);
                    } catch (RuntimeException e) {
                        System.out.println("> b failed: " + e.getMessage().replace('\n', ' '));
                    }
                }
                case "spawn b" -> {
                    WorkerRef worker = b.spawn(Echo.TYPE, "", SpawnOptions.builder()
                            .name(prefix + "-b-" + ofB.size()).build());
                    ofB.add(worker);
                    System.out.println("> b " + pid(b, worker));
                }
                case "shutdown a" -> {
                    a.shutdownAll();
                    System.out.println("> a down");
                }
                case "shutdown b" -> {
                    b.shutdownAll();
                    System.out.println("> b down");
                }
                default -> System.out.println("> unknown command " + line);
            }
            System.out.flush();
        }
    }

    private static long spawn(LauncherRuntime master, String name) {
        return pid(master, master.spawn(Echo.TYPE, "", SpawnOptions.builder().name(name).build()));
    }

    private static long pid(LauncherRuntime master, WorkerRef worker) {
        try (Connection connection = master.connect(worker, "")) {
            return connection.call(Echo.PID, null);
        }
    }
}
