package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.Echo;

/**
 * A master run by {@link InProcessTransportSpawnIT} with {@code RPC_PARALLEL_SETTINGS=transport=local}:
 * tries to spawn a worker and prints {@code SPAWN FAILED message} (or {@code SPAWNED}), then
 * {@code CHILD PROCESSES n}, the processes this master started.
 */
public final class InProcessTransportSpawnMaster {
    private InProcessTransportSpawnMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            try {
                Parallel.spawn(Echo.TYPE, "echo: ", SpawnOptions.builder().name("in-process-transport").build());
                System.out.println("SPAWNED");
            } catch (SpawnException e) {
                System.out.println("SPAWN FAILED " + e.getMessage());
            }
            System.out.println("CHILD PROCESSES " + ProcessHandle.current().descendants().count());
            System.out.flush();
        });
    }
}
