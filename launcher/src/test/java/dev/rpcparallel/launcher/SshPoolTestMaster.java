package dev.rpcparallel.launcher;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import java.net.URI;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A master for the test of remote warm pools, in its own JVM: {@code SshPoolTestMaster DEFAULT
 * POOL MARKER N} keeps N idle workers on the launcher POOL (JVM option
 * {@code -Drpcparallel.test.marker=MARKER}), prints READY once they are idle, and waits to be
 * killed.
 */
public final class SshPoolTestMaster {
    private SshPoolTestMaster() {}

    public static void main(String[] args) throws Exception {
        LauncherRuntime runtime = new LauncherRuntime();
        runtime.initMaster(RpcSettings.defaults().withLauncher(args[0]));
        SpawnOptions pool = SpawnOptions.builder().launcher(args[1])
                .addJvmOptions("-Drpcparallel.test.marker=" + args[2]).build();
        int count = Integer.parseInt(args[3]);
        runtime.keepWarm(count, pool);
        URI launcher = pool.launcher().orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> runtime.warmProcesses(launcher).size() == count);
        System.out.println(runtime.warmProcesses(launcher).size() + " idle");
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
