package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.EchoWorker;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An application's master, run by {@link PinnedGuavaIT} on a class path whose Guava is the
 * application's own, older one. Uses the runtime the way an application does: spawns an
 * {@code echo} and a {@code kinds} worker, makes a call with a timeout, a call that fails
 * remotely and a pipe, and prints one fact a line: where Guava comes from in the master
 * ({@code MASTER GUAVA location}) and in the worker ({@code WORKER GUAVA location}), each
 * result, then {@code DONE}.
 */
public final class PinnedGuavaMaster {
    static final String GUAVA_CLASS = "com.google.common.collect.ImmutableList";

    private PinnedGuavaMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            System.out.println("MASTER GUAVA " + EchoWorker.classSource(GUAVA_CLASS));
            WorkerRef echoWorker = Parallel.spawn(Echo.TYPE, "echo: ",
                    SpawnOptions.builder().name("pinned-guava-echo").build());
            try (Connection echo = Parallel.connect(echoWorker, Echo.TYPE, "pinned")) {
                System.out.println("WORKER GUAVA " + echo.call(Echo.CLASS_SOURCE, GUAVA_CLASS));
                System.out.println("ECHO " + echo.call(Echo.ECHO, "hello", Duration.ofMinutes(2)));
                try {
                    echo.call(Echo.FAIL, "on purpose");
                    System.out.println("FAIL returned");
                } catch (RemoteException e) {
                    System.out.println("FAILED " + e.remoteMessage());
                }
            }
            try (Connection kinds = Parallel.connect(Parallel.spawn(Kinds.TYPE, null,
                    SpawnOptions.builder().name("pinned-guava-kinds").build()));
                    RemoteStream<Long> numbers = kinds.pipe(Kinds.NUMBERS, 3L)) {
                List<Long> received = new ArrayList<>();
                numbers.forEach(received::add);
                System.out.println("PIPE " + received);
            }
            System.out.println("DONE");
            System.out.flush();
        });
    }
}
