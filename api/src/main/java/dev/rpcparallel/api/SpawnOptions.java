package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to start one worker process. Immutable; build with {@link #builder()}:
 *
 * <pre>{@code
 * SpawnOptions options = SpawnOptions.builder()
 *         .name("scorer-1")
 *         .addJvmOptions("-Xmx512m")
 *         .spawnTimeout(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: a generated name ({@code TYPE-N}); the master's own JVM options followed by
 * the added ones; the master's environment and working directory; a spawn timeout of 60 s and a
 * connection timeout of 30 s; {@link ShutdownOn#HEARTBEAT_TIMEOUT}; the worker's stdout and
 * stderr copied to the master's stdout and stderr, each line prefixed {@code [worker NAME] };
 * failures logged as errors by the master (logger {@code dev.rpcparallel.WorkerFailures}).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class SpawnOptions {
    private static final SpawnOptions DEFAULTS = builder().build();

    private final Optional<String> name;
    private final List<String> jvmOptions;
    private final boolean inheritJvmOptions;
    private final Map<String, String> environment;
    private final Duration spawnTimeout;
    private final Duration connectionTimeout;
    private final Optional<Path> workingDirectory;
    private final ShutdownOn shutdownOn;
    private final Redirect stdout;
    private final Redirect stderr;
    private final Consumer<WorkerFailedException> onFailure;
    // How the worker's command is built: its class path, main class, or the whole command.
    private final List<Path> workerClasspath;
    private final Optional<String> workerMainClass;
    private final List<String> workerCommand;
    private final Optional<URI> launcher;

    private SpawnOptions(Builder builder) {
        this.name = Optional.ofNullable(builder.name);
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.inheritJvmOptions = builder.inheritJvmOptions;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(builder.environment));
        this.spawnTimeout = builder.spawnTimeout;
        this.connectionTimeout = builder.connectionTimeout;
        this.workingDirectory = Optional.ofNullable(builder.workingDirectory);
        this.shutdownOn = builder.shutdownOn;
        this.stdout = builder.stdout;
        this.stderr = builder.stderr;
        this.onFailure = builder.onFailure;
        this.workerClasspath = List.copyOf(builder.workerClasspath);
        this.workerMainClass = Optional.ofNullable(builder.workerMainClass);
        this.workerCommand = List.copyOf(builder.workerCommand);
        this.launcher = Optional.ofNullable(builder.launcher);
    }

    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The worker's name, if one was chosen. */
    public Optional<String> name() {
        return name;
    }

    /** JVM options added after the inherited ones (or instead of them, see {@link #inheritJvmOptions()}). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Whether the worker starts with the master's own JVM options before {@link #jvmOptions()}. */
    public boolean inheritJvmOptions() {
        return inheritJvmOptions;
    }

    /** Environment variables set in the worker on top of the master's environment. */
    public Map<String, String> environment() {
        return environment;
    }

    /** How long spawn waits for the worker to start, register and initialise its state. */
    public Duration spawnTimeout() {
        return spawnTimeout;
    }

    /**
     * With {@link ShutdownOn#CONNECTION_CLOSED}: how long the worker waits for its first
     * connection before it exits.
     */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** The worker's working directory; the master's when empty. */
    public Optional<Path> workingDirectory() {
        return workingDirectory;
    }

    /** When the worker shuts itself down. */
    public ShutdownOn shutdownOn() {
        return shutdownOn;
    }

    /** Where the worker's stdout goes. */
    public Redirect stdout() {
        return stdout;
    }

    /** Where the worker's stderr goes. */
    public Redirect stderr() {
        return stderr;
    }

    /**
     * Called once if the worker fails after its spawn returned; empty by default, and then the
     * master's runtime logs the failure as an error (logger {@code dev.rpcparallel.WorkerFailures}).
     */
    public Optional<Consumer<WorkerFailedException>> onFailure() {
        return Optional.ofNullable(onFailure);
    }

    /**
     * The worker's class path, in place of the one the runtime finds for this master; empty
     * (the default) to let it find it. See {@link Builder#workerClasspath}.
     */
    public List<Path> workerClasspath() {
        return workerClasspath;
    }

    /** The worker's main class, in place of the runtime's; see {@link Builder#workerMainClass}. */
    public Optional<String> workerMainClass() {
        return workerMainClass;
    }

    /** The whole command that starts the worker, up to its main class; empty for the runtime's. */
    public List<String> workerCommand() {
        return workerCommand;
    }

    /**
     * Where and how the worker process is started, as a launcher URI ({@code local:},
     * {@code wrap:nice -n 5}, {@code ssh://host}, ...); empty for the master's default,
     * {@link RpcSettings#launcher()}. See {@link Builder#launcher(URI)}.
     */
    public Optional<URI> launcher() {
        return launcher;
    }

    /** A builder with these options, to change some. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.name = name.orElse(null);
        builder.jvmOptions.addAll(jvmOptions);
        builder.inheritJvmOptions = inheritJvmOptions;
        builder.environment.putAll(environment);
        builder.spawnTimeout = spawnTimeout;
        builder.connectionTimeout = connectionTimeout;
        builder.workingDirectory = workingDirectory.orElse(null);
        builder.shutdownOn = shutdownOn;
        builder.stdout = stdout;
        builder.stderr = stderr;
        builder.onFailure = onFailure;
        builder.workerClasspath.addAll(workerClasspath);
        builder.workerMainClass = workerMainClass.orElse(null);
        builder.workerCommand.addAll(workerCommand);
        builder.launcher = launcher.orElse(null);
        return builder;
    }

    /** A builder for {@link SpawnOptions}; not thread-safe. */
    public static final class Builder {
        private String name;
        private final List<String> jvmOptions = new ArrayList<>();
        private boolean inheritJvmOptions = true;
        /** In the order first added; a variable set again keeps its place and takes the last value. */
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration spawnTimeout = Duration.ofSeconds(60);
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Path workingDirectory;
        private ShutdownOn shutdownOn = ShutdownOn.HEARTBEAT_TIMEOUT;
        private Redirect stdout = Redirect.toMaster();
        private Redirect stderr = Redirect.toMaster();
        private Consumer<WorkerFailedException> onFailure;
        private final List<Path> workerClasspath = new ArrayList<>();
        private String workerMainClass;
        private final List<String> workerCommand = new ArrayList<>();
        private URI launcher;

        private Builder() {}

        /** A readable name, shown in logs, errors, output prefixes and {@code ps}. */
        public Builder name(String name) {
            requireNonNull(name, "name");
            Arguments.check(!name.isBlank() && name.chars().noneMatch(Character::isWhitespace),
                    "worker name '%s' must be non-empty and contain no white space", name);
            this.name = name;
            return this;
        }

        public Builder addJvmOptions(String... options) {
            for (String option : options) {
                jvmOptions.add(requireNonNull(option, "option"));
            }
            return this;
        }

        /** With {@code false}, the worker gets only the JVM options added here, not the master's. */
        public Builder inheritJvmOptions(boolean inherit) {
            this.inheritJvmOptions = inherit;
            return this;
        }

        public Builder putEnvironment(String variable, String value) {
            environment.put(requireNonNull(variable, "variable"), requireNonNull(value, "value"));
            return this;
        }

        public Builder spawnTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            Arguments.check(!timeout.isNegative() && !timeout.isZero(), "spawn timeout must be positive: %s", timeout);
            this.spawnTimeout = timeout;
            return this;
        }

        /** See {@link SpawnOptions#connectionTimeout()}. */
        public Builder connectionTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            Arguments.check(!timeout.isNegative() && !timeout.isZero(), "connection timeout must be positive: %s", timeout);
            this.connectionTimeout = timeout;
            return this;
        }

        public Builder workingDirectory(Path directory) {
            this.workingDirectory = requireNonNull(directory, "directory").toAbsolutePath();
            return this;
        }

        public Builder shutdownOn(ShutdownOn shutdownOn) {
            this.shutdownOn = requireNonNull(shutdownOn, "shutdownOn");
            return this;
        }

        public Builder redirectStdout(Redirect redirect) {
            this.stdout = requireNonNull(redirect, "redirect");
            return this;
        }

        public Builder redirectStderr(Redirect redirect) {
            this.stderr = requireNonNull(redirect, "redirect");
            return this;
        }

        /**
         * Called once, on a runtime thread, if the worker fails after its spawn returned: its
         * process dies without having been asked to shut down, or it reports an exception no
         * caller could receive. Not called for a failed spawn, which throws instead. Without one, the
         * master logs the failure as an error (logger {@code dev.rpcparallel.WorkerFailures}).
         */
        public Builder onFailure(Consumer<WorkerFailedException> onFailure) {
            this.onFailure = requireNonNull(onFailure, "onFailure");
            return this;
        }

        // ---- How the worker's command is built (where the runtime cannot tell this master's class path)

        /**
         * The worker's class path, in place of the one the runtime finds. The runtime finds it
         * when the master runs from a class path ({@code java -cp}, {@code java -jar}, JUnit,
         * {@code mvn exec:exec}), from a class loader over files ({@code mvn exec:java}), from
         * the module path or from a Spring Boot executable jar; set it where the master's
         * classes come from elsewhere. Relative entries are taken against the master's working
         * directory. The worker's main class stays the runtime's unless {@link #workerMainClass}
         * sets another. For every spawn of a master: the system property
         * {@code rpcparallel.worker.classpath}.
         */
        public Builder workerClasspath(List<Path> entries) {
            requireNonNull(entries, "entries");
            Arguments.check(!entries.isEmpty(), "the worker class path is empty");
            workerClasspath.clear();
            for (Path entry : entries) {
                workerClasspath.add(requireNonNull(entry, "entry"));
            }
            return this;
        }

        /**
         * The worker's main class, in place of the runtime's
         * ({@code dev.rpcparallel.launcher.worker.WorkerMain}): a main class of the application's
         * that sets up what it must, then calls that one with the same arguments. For every spawn
         * of a master: the system property {@code rpcparallel.worker.mainClass}.
         */
        public Builder workerMainClass(String mainClass) {
            requireNonNull(mainClass, "mainClass");
            Arguments.check(!mainClass.isBlank(), "the worker main class is empty");
            this.workerMainClass = mainClass;
            return this;
        }

        /**
         * The whole command that starts the worker, up to and including its main class (for
         * example {@code java -cp /opt/app/lib/* dev.rpcparallel.launcher.worker.WorkerMain}, or a
         * wrapper script that runs it); the runtime adds the worker's marker arguments, its
         * environment and working directory, and talks to it over its stdin as usual. The
         * master's JVM options, class data sharing and the other worker-command settings do not
         * apply. For every spawn of a master: the system property {@code rpcparallel.worker.command}
         * (arguments separated by white space).
         */
        public Builder workerCommand(List<String> command) {
            requireNonNull(command, "command");
            Arguments.check(!command.isEmpty(), "the worker command is empty");
            workerCommand.clear();
            for (String argument : command) {
                workerCommand.add(requireNonNull(argument, "argument"));
            }
            return this;
        }

        // ---- where the process starts (the launcher)

        /**
         * Starts the worker with the launcher of {@code target}'s scheme instead of the master's
         * default ({@link RpcSettings#launcher()}): {@code local:} forks it on this host (the
         * default), {@code wrap:nice -n 5} runs it under a command prefix on this host, and the
         * launchers on the class path add others, such as {@code ssh://user@host:port}
         * (module {@code rpc-parallel-launch-ssh}). A worker on another host is reached over TCP
         * at an address of that host; the master must then listen on an address reachable from
         * there (see the README, "Workers on other machines").
         */
        public Builder launcher(URI target) {
            this.launcher = requireNonNull(target, "target");
            Arguments.check(target.getScheme() != null, "launcher '%s' has no scheme: write local:, wrap:COMMAND or"
                    + " ssh://host", target);
            return this;
        }

        /** {@link #launcher(URI)} of a URI in text, e.g. {@code "ssh://worker-1"} or {@code "wrap:nice -n 5"}. */
        public Builder launcher(String target) {
            return launcher(launcherUri(requireNonNull(target, "target")));
        }

        public SpawnOptions build() {
            return new SpawnOptions(this);
        }
    }

    /**
     * A launcher URI from its text. A {@code wrap:} command may contain spaces and other
     * characters a URI does not allow; they are quoted here.
     */
    static URI launcherUri(String text) {
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        Arguments.check(colon > 0, "launcher '%s' has no scheme: write local:, wrap:COMMAND or ssh://host", text);
        if (trimmed.endsWith(":") || trimmed.endsWith("://")) {
            // Nothing after the scheme ("local:", "slurm://"): a URI needs a path at least.
            trimmed = trimmed + "/";
        }
        try {
            return new URI(trimmed);
        } catch (URISyntaxException e) {
            try {
                // An opaque URI with its scheme-specific part quoted: "wrap:nice -n 5".
                return new URI(trimmed.substring(0, colon), trimmed.substring(colon + 1), null);
            } catch (URISyntaxException again) {
                throw new IllegalArgumentException("launcher '" + text + "' is not a URI: " + again.getMessage(), again);
            }
        }
    }
}
