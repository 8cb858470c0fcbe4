package com.example.greeter;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;

public final class GreetMaster {
    private GreetMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, arguments -> {
            try (Connection c = Parallel.spawnAndConnect(Greeter.TYPE, "Hello", null, SpawnOptions.defaults())) {
                System.out.println(c.call(Greeter.GREET, arguments.length == 0 ? "world" : arguments[0]));
            }
        });
    }
}
