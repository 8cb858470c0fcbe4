package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.Availability;
import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code wrap:COMMAND}: forks the process on this host as {@link LocalLauncher} does, under a
 * command prefix, e.g. {@code wrap:nice -n 5}, {@code wrap:taskset -c 0,1},
 * {@code wrap:numactl --cpunodebind=0}, {@code wrap:env MALLOC_ARENA_MAX=2}, a container's
 * {@code exec}. The command is the URI's scheme-specific part, split at white space (no quoting:
 * a word with a space needs a script); the worker's {@code java} command line follows it. The
 * prefix must run the command it is given in the same process or as its child, and pass on
 * stdin, stdout, stderr and the exit status, as {@code nice}, {@code taskset}, {@code env}
 * and {@code exec} do. Thread-safe and stateless.
 */
public final class WrapLauncher implements WorkerLauncher {
    /** The scheme of this launcher. */
    public static final String SCHEME = "wrap";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public LaunchedProcess launch(LaunchSpec spec, URI target, Duration timeout) throws LaunchException {
        return LocalLauncher.startOrExplain(spec, prefix(target), ProcessBuilder.Redirect.PIPE,
                ProcessBuilder.Redirect.PIPE, target);
    }

    /**
     * The command prefix of a {@code wrap:} target.
     *
     * @throws IllegalArgumentException when the target names no command, with the form to use
     */
    public static List<String> prefix(URI target) {
        LocalLauncher.requireScheme(target, SCHEME);
        String command = target.getSchemeSpecificPart();
        // "wrap:" becomes the URI "wrap:/" (a URI needs something after its scheme).
        if (command == null || command.isBlank() || command.strip().equals("/")) {
            throw new IllegalArgumentException("launcher " + target + " names no command: write wrap:COMMAND ARGS...,"
                    + " e.g. wrap:nice -n 5");
        }
        return List.of(command.strip().split("\\s+"));
    }
}
