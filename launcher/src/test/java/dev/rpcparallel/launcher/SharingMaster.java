package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.ShutdownOn;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Lifecycle;
import java.nio.file.Path;

/**
 * The masters of {@link SharingIT}, each in its own JVM: {@code export NAME...} spawns a worker
 * that outlives it per name, exports each one's access and prints {@code ACCESS name path} and
 * {@code PID name pid}, then exits; {@code connect FILE} loads an access, calls the worker and
 * prints {@code CALLED pid}, or {@code REFUSED message}.
 */
public final class SharingMaster {
    private SharingMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            if (masterArgs[0].equals("export")) {
                for (int i = 1; i < masterArgs.length; i++) {
                    WorkerRef worker = Parallel.spawn(Lifecycle.TYPE, null, SpawnOptions.builder().name(masterArgs[i])
                            .shutdownOn(ShutdownOn.CALLED_SHUTDOWN).build());
                    Path file = WorkerAccess.export(worker);
                    try (Connection connection = Parallel.connect(worker)) {
                        System.out.println("PID " + masterArgs[i] + " " + connection.call(Lifecycle.PID, null));
                    }
                    System.out.println("ACCESS " + masterArgs[i] + " " + file);
                }
            } else {
                WorkerAccess access = WorkerAccess.load(Path.of(masterArgs[1]));
                try (Connection connection = Parallel.connect(access, Lifecycle.TYPE, null)) {
                    System.out.println("CALLED " + connection.call(Lifecycle.PID, null));
                } catch (ConnectionException e) {
                    System.out.println("REFUSED " + e.getMessage().replace('\n', ' '));
                }
            }
            System.out.println("READY");
        });
    }
}
