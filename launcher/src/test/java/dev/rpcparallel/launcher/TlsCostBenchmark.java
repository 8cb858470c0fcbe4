package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.tls.ApplicationKey;
import dev.rpcparallel.launcher.tls.ApplicationTls;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the generated TLS costs (SECURITY.md, "Between hosts"): the master's key generation, and
 * a round trip (a short echo) and a 1 MiB echo over TLS against plain TCP, to two workers
 * started over ssh in the same run (one of a master with its generated TLS, one of a master with
 * TLS turned off), alternating in rounds. Prints medians.
 *
 * <p>Run with the test sshd's variables set ({@code eval "$(.ci/sshd.sh env)"}), from
 * {@code launcher}: {@code java -cp target/test-classes:target/classes:DEPENDENCIES
 * dev.rpcparallel.launcher.TlsCostBenchmark [rounds]}.
 */
public final class TlsCostBenchmark {
    private TlsCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        ApplicationKey.generate();
        double firstKeyMs = (System.nanoTime() - start) / 1e6;
        double firstKeyCpuMs = (threads.getCurrentThreadCpuTime() - startCpu) / 1e6;
        List<Double> keys = new ArrayList<>();
        List<Double> keysCpu = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            ApplicationKey.generate();
            keys.add((System.nanoTime() - t) / 1e6);
            keysCpu.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
        }
        System.out.printf(Locale.ROOT, "key generation: first %.1f ms (%.1f ms CPU; class loading included), then median"
                + " %.2f ms (%.2f ms CPU)%n", firstKeyMs, firstKeyCpuMs, median(keys), median(keysCpu));

        System.setProperty("rpcparallel.ssh", "ssh -F " + System.getenv("RPC_PARALLEL_TEST_SSH_CONFIG"));
        String target = "ssh://" + System.getenv("RPC_PARALLEL_TEST_SSH_HOST") + "?cache="
                + Path.of("target", "tls-cost-cache").toAbsolutePath();
        LauncherRuntime encrypted = new LauncherRuntime();
        encrypted.initMaster(RpcSettings.defaults().withLauncher(target));
        WorkerRef tlsWorker = encrypted.spawn(Echo.TYPE, "", SpawnOptions.builder().name("tls-cost-tls").build());
        System.setProperty(ApplicationTls.OFF_PROPERTY, "off");
        LauncherRuntime plain = new LauncherRuntime();
        plain.initMaster(RpcSettings.defaults().withLauncher(target));
        WorkerRef plainWorker = plain.spawn(Echo.TYPE, "", SpawnOptions.builder().name("tls-cost-plain").build());
        String mib = "x".repeat(1 << 20);
        List<Double> tlsCall = new ArrayList<>();
        List<Double> plainCall = new ArrayList<>();
        List<Double> tlsMib = new ArrayList<>();
        List<Double> plainMib = new ArrayList<>();
        try (Connection tls = encrypted.connect(tlsWorker, ""); Connection tcp = plain.connect(plainWorker, "")) {
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                measure(tls, "x", 500, round < 0 ? new ArrayList<>() : tlsCall);
                measure(tcp, "x", 500, round < 0 ? new ArrayList<>() : plainCall);
                measure(tls, mib, 20, round < 0 ? new ArrayList<>() : tlsMib);
                measure(tcp, mib, 20, round < 0 ? new ArrayList<>() : plainMib);
            }
        } finally {
            encrypted.shutdownAll();
            plain.shutdownAll();
        }
        System.out.printf(Locale.ROOT, "round trip p50: TLS %.1f us, plain TCP %.1f us (%d calls each)%n",
                median(tlsCall) * 1000, median(plainCall) * 1000, tlsCall.size());
        System.out.printf(Locale.ROOT, "1 MiB echo p50: TLS %.2f ms, plain TCP %.2f ms (%d calls each)%n",
                median(tlsMib), median(plainMib), tlsMib.size());
        System.exit(0);
    }

    private static void measure(Connection connection, String argument, int calls, List<Double> millis) {
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            String echoed = connection.call(Echo.ECHO, argument);
            millis.add((System.nanoTime() - t) / 1e6);
            if (echoed.length() != argument.length()) {
                throw new AssertionError("the echo differs");
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
