package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;

/**
 * A master for tests of workers as Slurm jobs, in its own JVM: {@code SlurmTestMaster LAUNCHER N}
 * spawns N echo workers with the default launcher LAUNCHER (the cluster from SLURM_CONF), prints
 * each worker's name and pid, then READY, and waits to be killed.
 */
public final class SlurmTestMaster {
    private SlurmTestMaster() {}

    public static void main(String[] args) throws Exception {
        Parallel.initMaster(RpcSettings.defaults().withLauncher(args[0]));
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            WorkerRef worker = Parallel.spawn(Echo.TYPE, "", SpawnOptions.builder().name("slurm-orphan-" + i).build());
            try (Connection connection = Parallel.connect(worker, Echo.TYPE, "")) {
                System.out.println(worker.name() + " " + connection.call(Echo.PID, null));
            }
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
