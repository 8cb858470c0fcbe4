package dev.rpcparallel.launcher;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Echo;
import dev.rpcparallel.launcher.testplugins.EchoWorker;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.launcher.thriftapp.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An application's master, run by {@link PinnedThriftIT} on a class path whose libthrift is the
 * application's own, older one. Spawns an {@code echo} and a {@code kinds} worker over the
 * Thrift transport, makes a call with a timeout, a call that fails remotely and a pipe, encodes
 * the application's own Thrift struct with {@code Codecs.thrift} (its own libthrift), sends it
 * through the worker and decodes the answer, and prints one fact a line: where libthrift comes
 * from in the master ({@code MASTER THRIFT location}) and in the worker ({@code WORKER THRIFT
 * location}), each result, then {@code DONE}.
 */
public final class PinnedThriftMaster {
    static final String THRIFT_CLASS = "org.apache.thrift.TBase";

    private PinnedThriftMaster() {}

    public static void main(String[] args) {
        Parallel.startApp(args, masterArgs -> {
            System.out.println("MASTER THRIFT " + EchoWorker.classSource(THRIFT_CLASS));
            WorkerRef echoWorker = Parallel.spawn(Echo.TYPE, "echo: ",
                    SpawnOptions.builder().name("pinned-thrift-echo").build());
            try (Connection echo = Parallel.connect(echoWorker, Echo.TYPE, "pinned")) {
                System.out.println("WORKER THRIFT " + echo.call(Echo.CLASS_SOURCE, THRIFT_CLASS));
                System.out.println("ECHO " + echo.call(Echo.ECHO, "hello", Duration.ofMinutes(2)));
                try {
                    echo.call(Echo.FAIL, "on purpose");
                    System.out.println("FAIL returned");
                } catch (RemoteException e) {
                    System.out.println("FAILED " + e.remoteMessage());
                }
                Codec<Point> points = Codecs.thrift(Point.class);
                String sent = Base64.getEncoder().encodeToString(points.encode(new Point(42, "the answer")));
                String echoed = echo.call(Echo.ECHO, sent).substring("echo: ".length());
                System.out.println("STRUCT " + points.decode(Base64.getDecoder().decode(echoed)));
            }
            try (Connection kinds = Parallel.connect(Parallel.spawn(Kinds.TYPE, null,
                    SpawnOptions.builder().name("pinned-thrift-kinds").build()));
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
