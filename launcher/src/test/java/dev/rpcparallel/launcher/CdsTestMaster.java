package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.testplugins.Lifecycle;

/**
 * A master run as its own JVM by {@link ClassDataSharingIT}: spawns one worker with the JVM
 * options given as arguments, prints the worker's JVM options ({@code ARG ...}, one per line),
 * then {@code READY}, and returns, so that the worker is shut down and exits normally. With
 * {@code -D}{@value #HOLD}{@code =true} it keeps the worker and waits to be killed instead.
 */
public final class CdsTestMaster {
    static final String HOLD = "cds.test.hold";

    private CdsTestMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            SpawnOptions.Builder options = SpawnOptions.builder().name("cds-probe").addJvmOptions(masterArgs);
            try (Connection connection = Parallel.connect(Parallel.spawn(Lifecycle.TYPE, null, options.build()))) {
                for (String argument : connection.call(Lifecycle.JVM_ARGS, null)) {
                    System.out.println("ARG " + argument);
                }
            }
            System.out.println("READY");
            System.out.flush();
            if (Boolean.getBoolean(HOLD)) {
                Thread.sleep(Long.MAX_VALUE);
            }
        });
    }
}
