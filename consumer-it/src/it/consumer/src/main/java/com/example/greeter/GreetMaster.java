package com.example.greeter;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;

/**
 * Spawns two greeter workers and calls each; prints its own pid ({@code MASTER PID n}), each
 * worker's ({@code WORKER PID n}) and each greeting, so that a test can check that the workers
 * answered and are gone once the master has exited.
 */
public final class GreetMaster {
    private GreetMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, arguments -> {
            System.out.println("MASTER PID " + ProcessHandle.current().pid());
            String name = arguments.length == 0 ? "world" : arguments[0];
            try (Connection hello = Parallel.spawnAndConnect(Greeter.TYPE, "Hello", null, SpawnOptions.defaults());
                    Connection hi = Parallel.spawnAndConnect(Greeter.TYPE, "Hi", null, SpawnOptions.defaults())) {
                for (Connection worker : new Connection[] {hello, hi}) {
                    System.out.println("WORKER PID " + worker.call(Greeter.PID, null));
                    System.out.println(worker.call(Greeter.GREET, name));
                }
            }
        });
    }
}
