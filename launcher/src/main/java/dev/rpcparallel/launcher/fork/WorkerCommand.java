package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.launcher.logging.WorkerLogging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What starting one worker JVM runs, as a value: the {@code java} binary, its JVM options, the
 * class path arguments, the worker main class and its marker arguments, the environment and the
 * working directory. Built by {@link #forSpawn}; started by {@link WorkerProcess}, which puts the
 * class path arguments in an {@code @argfile} ({@link ClasspathArgFile}).
 *
 * <p>On the command line the options come in this order, so that later ones win: {@link
 * #jvmOptions()} (class data sharing, the defaults, the master's inherited options), the class
 * path arguments, {@link #spawnJvmOptions()} (the spawn's own, even a {@code -cp}), the main
 * class, the {@link #arguments()}.
 *
 * @param java the {@code java} binary
 * @param jvmOptions the JVM options before the class path
 * @param classpathArguments the class path and the settings that choose plugins, as arguments
 *     ({@code -D...}, {@code -cp}, the class path)
 * @param spawnJvmOptions the spawn's own JVM options, after the class path
 * @param mainClass the worker main class
 * @param arguments the marker for {@code ps}: {@code rpc-parallel-worker NAME child-of-PID@HOST}
 * @param environment what the worker's environment adds to the master's
 * @param workingDirectory the worker's working directory; empty for the master's
 * @param wholeCommand the command up to the main class that replaces the {@code java} binary,
 *     the options, the class path and the main class ({@code SpawnOptions.workerCommand}); empty
 *     for those
 */
public record WorkerCommand(
        String java,
        List<String> jvmOptions,
        List<String> classpathArguments,
        List<String> spawnJvmOptions,
        String mainClass,
        List<String> arguments,
        Map<String, String> environment,
        Optional<Path> workingDirectory,
        List<String> wholeCommand) {

    /** The main class of every spawned worker. */
    public static final String WORKER_MAIN = "dev.rpcparallel.launcher.worker.WorkerMain";
    /** The first program argument of every worker: {@code ps ax | grep rpc-parallel-worker} finds them. */
    public static final String MARKER = "rpc-parallel-worker";
    /** {@code false} leaves out {@link #DEFAULT_JVM_OPTIONS} and the default collector. */
    public static final String DEFAULT_JVM_OPTIONS_PROPERTY = "rpcparallel.worker.defaultJvmOptions";
    /** The collector of a worker whose options choose none: small and quick to start. */
    public static final String DEFAULT_COLLECTOR = "-XX:+UseSerialGC";
    /**
     * JVM options every worker gets first (any inherited or spawn option overrides them): keep an
     * idle worker small without capping what a busy one may use.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of();

    public WorkerCommand {
        jvmOptions = List.copyOf(jvmOptions);
        classpathArguments = List.copyOf(classpathArguments);
        spawnJvmOptions = List.copyOf(spawnJvmOptions);
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        wholeCommand = List.copyOf(wholeCommand);
    }

    /**
     * The command of a worker spawned with {@code options}: the same {@code java} binary as this
     * JVM, the master's JVM options (unless the spawn replaces them), the spawn's own.
     *
     * <p>The class path and main class are the master's ({@link WorkerClasspath}) unless the
     * spawn sets its own ({@link SpawnOptions#workerClasspath()}, {@link
     * SpawnOptions#workerMainClass()}); a whole command ({@link SpawnOptions#workerCommand()},
     * or the master-wide {@value WorkerClasspath#COMMAND_PROPERTY}) replaces all of that.
     *
     * @param classpathArguments from {@link WorkerClasspath#arguments()}
     * @param cds what the spawn does about class data sharing ({@link #cdsPlan})
     * @throws dev.rpcparallel.api.SpawnException if the master's class path cannot be told and
     *     the spawn sets none, naming the settings that do
     */
    public static WorkerCommand forSpawn(SpawnOptions options, String workerName, String parentMarker,
            List<String> classpathArguments, ClassDataSharing.Plan cds) {
        return forSpawn(options, workerName, parentMarker, classpathArguments, cds, false);
    }

    /**
     * As {@link #forSpawn(SpawnOptions, String, String, List, ClassDataSharing.Plan)}, for a
     * worker on this host when {@code onThisHost}: the master then tells it how to start Log4j
     * ({@link #loggingOptions}) and which selector provider its JDK uses
     * ({@link SelectorProviderOption}), so that the worker looks for neither.
     */
    public static WorkerCommand forSpawn(SpawnOptions options, String workerName, String parentMarker,
            List<String> classpathArguments, ClassDataSharing.Plan cds, boolean onThisHost) {
        Map<String, String> environment = new HashMap<>(options.environment());
        environment.put(Parallel.WORKER_ENVIRONMENT_VARIABLE, "1");
        List<String> markers = List.of(MARKER, workerName, parentMarker);
        List<String> wholeCommand = wholeCommand(options);
        if (!wholeCommand.isEmpty()) {
            return new WorkerCommand(wholeCommand.get(0), List.of(), List.of(), List.of(), "", markers, environment,
                    options.workingDirectory(), wholeCommand);
        }
        List<String> ownClasspath = options.workerClasspath().stream().map(Path::toString).toList();
        List<String> classpath = ownClasspath.isEmpty() ? classpathArguments : WorkerClasspath.arguments(ownClasspath);
        String mainClass = options.workerMainClass()
                .orElseGet(() -> ownClasspath.isEmpty() ? WorkerClasspath.mainClass() : WORKER_MAIN);
        List<String> inherited = options.inheritJvmOptions()
                ? InheritedJvmOptions.ofThisJvmForWorker(workerName) : List.of();
        List<String> jvmOptions = new ArrayList<>();
        // First, so that the inherited options and the spawn's (later on the line) win over them.
        jvmOptions.addAll(cds.options());
        if (onThisHost && ownClasspath.isEmpty()) {
            jvmOptions.addAll(loggingOptions(options));
            jvmOptions.addAll(SelectorProviderOption.forWorker(options));
        }
        jvmOptions.addAll(defaultJvmOptions(options, inherited));
        jvmOptions.addAll(inherited);
        return new WorkerCommand(javaBinary(), jvmOptions, classpath, options.jvmOptions(), mainClass, markers,
                environment, options.workingDirectory(), List.of());
    }

    /**
     * The Log4j context factory of a worker on this host with the master's class path, as the
     * master decided it once ({@link WorkerLogging#lazyFactoryForWorkers}): the worker then does
     * not search for Log4j's backend and configuration at its start. None when the spawn sets
     * Log4j up its own way (a {@code -Dlog4j...} option, a {@code LOG4J_} variable) or replaces
     * the JVM options; the worker then decides for itself, as {@link WorkerLogging#configure}
     * says.
     */
    static List<String> loggingOptions(SpawnOptions options) {
        if (!options.inheritJvmOptions()) {
            return List.of();
        }
        for (String option : options.jvmOptions()) {
            String lower = option.toLowerCase(Locale.ROOT);
            if (lower.startsWith("-dlog4j") || lower.startsWith("-dorg.apache.logging")) {
                return List.of();
            }
        }
        for (String variable : options.environment().keySet()) {
            if (variable.startsWith("LOG4J_")) {
                return List.of();
            }
        }
        return WorkerLogging.lazyFactoryForWorkers()
                ? List.of("-D" + WorkerLogging.FACTORY_PROPERTY + "=" + WorkerLogging.LAZY_FACTORY) : List.of();
    }

    /** The spawn's whole command, or the master's ({@value WorkerClasspath#COMMAND_PROPERTY}); empty for none. */
    static List<String> wholeCommand(SpawnOptions options) {
        return !options.workerCommand().isEmpty() ? options.workerCommand()
                : WorkerClasspath.command().orElse(List.of());
    }

    /**
     * The command line, with the class path arguments in {@code classpathArgFile}; for a whole
     * command, that command and the marker arguments.
     */
    public List<String> commandLine(Path classpathArgFile) {
        List<String> command = new ArrayList<>();
        if (!wholeCommand.isEmpty()) {
            command.addAll(wholeCommand);
            command.addAll(arguments);
            return command;
        }
        command.add(java);
        command.addAll(jvmOptions);
        command.add("@" + classpathArgFile);
        // After the class path, so that an option of the spawn (even -cp) wins over the inherited ones.
        command.addAll(spawnJvmOptions);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /** The worker's name, as its marker arguments show it. */
    public String workerName() {
        return arguments.get(1);
    }

    /**
     * Whether a worker spawned with {@code options} runs the master's class path and main class
     * (no whole command, class path or {@code -cp} of its own): on the master's host it then
     * finds what the master finds, and the master's choices for it (its transport) are its own.
     */
    public static boolean sharesMastersClasspath(SpawnOptions options) {
        if (!wholeCommand(options).isEmpty() || !options.workerClasspath().isEmpty()) {
            return false;
        }
        for (String option : options.jvmOptions()) {
            if (option.equals("-cp") || option.equals("-classpath") || option.startsWith("--class-path")) {
                return false;
            }
        }
        return true;
    }

    /** What a spawn with these options does about CDS (see {@link ClassDataSharing}). */
    public static ClassDataSharing.Plan cdsPlan(SpawnOptions options) {
        if (!wholeCommand(options).isEmpty()) {
            return ClassDataSharing.Plan.none("the spawn sets its own command");
        }
        if (!options.workerClasspath().isEmpty()) {
            return ClassDataSharing.Plan.none("the spawn sets its own class path");
        }
        List<String> inherited = options.inheritJvmOptions() ? inheritableJvmOptions() : List.of();
        for (String option : options.jvmOptions()) {
            if (option.equals("-cp") || option.equals("-classpath") || option.startsWith("--class-path")) {
                return ClassDataSharing.Plan.none("the spawn sets its own class path");
            }
        }
        List<String> all = new ArrayList<>(defaultJvmOptions(options, inherited));
        all.addAll(inherited);
        all.addAll(options.jvmOptions());
        return ClassDataSharing.plan(javaBinary(), WorkerClasspath.classpath(), all, options.jvmOptions());
    }

    /**
     * The JVM options every worker starts with unless told otherwise (see {@link #DEFAULT_JVM_OPTIONS}),
     * placed before the inherited and the spawn's own options, so that any of those wins. The
     * serial collector is added only when no option chooses a collector (two would be a JVM
     * error). None when the spawn replaces the JVM options ({@code inheritJvmOptions(false)}: its
     * options are then the worker's, exactly), or with
     * {@value #DEFAULT_JVM_OPTIONS_PROPERTY}{@code =false}, as the master's system property or a
     * {@code -D} among the spawn's JVM options.
     */
    static List<String> defaultJvmOptions(SpawnOptions options, List<String> inherited) {
        List<String> spawnOptions = options.jvmOptions();
        String enabled = ClassDataSharing.setting(DEFAULT_JVM_OPTIONS_PROPERTY, spawnOptions).orElse("true");
        if (!options.inheritJvmOptions() || !Boolean.parseBoolean(enabled.trim())) {
            return List.of();
        }
        List<String> defaults = new ArrayList<>();
        boolean collectorChosen = false;
        for (String option : inherited) {
            collectorChosen |= option.matches("-XX:\\+Use\\w*GC");
        }
        for (String option : spawnOptions) {
            collectorChosen |= option.matches("-XX:\\+Use\\w*GC");
        }
        if (!collectorChosen) {
            defaults.add(DEFAULT_COLLECTOR);
        }
        defaults.addAll(DEFAULT_JVM_OPTIONS);
        return defaults;
    }

    /** The {@code java} binary that runs this JVM: the one every worker is started with. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The master's JVM options that make sense in a worker, with file names as the master has
     * them (see {@link InheritedJvmOptions}; a worker's own command makes them per-worker).
     */
    public static List<String> inheritableJvmOptions() {
        return InheritedJvmOptions.ofThisJvm();
    }
}
