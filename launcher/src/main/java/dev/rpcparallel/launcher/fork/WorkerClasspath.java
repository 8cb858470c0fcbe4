package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.launcher.registry.PluginsDirectory;
import dev.rpcparallel.launcher.registry.WorkerListing;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A worker's class path and main class: this master's, as {@link ClasspathDetection} finds them
 * however the master was started, or as the master-wide properties {@value #CLASSPATH_PROPERTY}
 * and {@value #MAIN_CLASS_PROPERTY} set them; plus the jars of an installed plugins directory,
 * and the settings that make the worker choose the same plugins. A master computes them once:
 * the class path does not change. A spawn's own ({@code SpawnOptions.workerClasspath},
 * {@code workerMainClass}, {@code workerCommand}) win over these ({@link WorkerCommand#forSpawn}).
 */
public final class WorkerClasspath {
    /** The workers' class path, entries separated as on the command line; relative to the master's directory. */
    public static final String CLASSPATH_PROPERTY = "rpcparallel.worker.classpath";
    /** The workers' main class. */
    public static final String MAIN_CLASS_PROPERTY = "rpcparallel.worker.mainClass";
    /**
     * The whole command that starts a worker up to its main class, arguments separated by white
     * space (for arguments with spaces use {@code SpawnOptions.workerCommand}).
     */
    public static final String COMMAND_PROPERTY = "rpcparallel.worker.command";

    /** The fix named by every error about a worker's class path or main class. */
    static final String HOW_TO_SET = "Tell the runtime how to start workers: SpawnOptions.builder()"
            + ".workerClasspath(...) (and .workerMainClass(...)) or .workerCommand(...) for one spawn, or for every"
            + " spawn of this master the system properties -D" + CLASSPATH_PROPERTY + "=..., -D" + MAIN_CLASS_PROPERTY
            + "=... or -D" + COMMAND_PROPERTY + "=... (the worker's main class is " + WorkerCommand.WORKER_MAIN
            + "; see \"Use it in your build\" in the README).";

    private static volatile ClasspathDetection.Detected detected;
    /** Why this master's class path cannot be told, if it cannot: thrown by a spawn that needs it. */
    private static volatile RuntimeException failure;

    private WorkerClasspath() {}

    /**
     * The class path arguments of every worker's command ({@link WorkerCommand#classpathArguments()}):
     * the plugin settings as {@code -D} options, the options the main class needs, then {@code -cp}
     * and the class path.
     *
     * <p>None if this master's class path cannot be told and no property gives it: then a spawn
     * that sets no class path or command of its own fails ({@link #mainClass()}, {@link
     * #classpath()}) naming the settings that tell it.
     */
    public static List<String> arguments() {
        ClasspathDetection.Detected computed;
        try {
            computed = compute();
        } catch (RuntimeException e) {
            failure = e;
            return List.of();
        }
        detected = computed;
        failure = null;
        List<String> arguments = new ArrayList<>(pluginSettings());
        arguments.addAll(computed.jvmOptions());
        arguments.add("-cp");
        arguments.add(String.join(File.pathSeparator, withPlugins(computed.entries())));
        return arguments;
    }

    /**
     * The class path arguments of a spawn that sets its own class path: the plugin settings, then
     * {@code -cp} and those entries (made absolute against the master's directory) and the
     * plugins directory's jars.
     */
    static List<String> arguments(List<String> classPath) {
        List<String> arguments = new ArrayList<>(pluginSettings());
        arguments.add("-cp");
        arguments.add(String.join(File.pathSeparator, withPlugins(ClasspathDetection.absolute(classPath))));
        return arguments;
    }

    /**
     * The main class of this master's workers, as {@link #arguments()} last computed it.
     *
     * @throws dev.rpcparallel.api.SpawnException if the master's class path cannot be told
     */
    static String mainClass() {
        return known().mainClass();
    }

    /**
     * The class path itself, as {@link #arguments()} last computed it.
     *
     * @throws dev.rpcparallel.api.SpawnException if the master's class path cannot be told
     */
    static String classpath() {
        return String.join(File.pathSeparator, withPlugins(known().entries()));
    }

    private static ClasspathDetection.Detected known() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        ClasspathDetection.Detected known = detected;
        return known != null ? known : compute();
    }

    /**
     * What to do about a worker that exited during start, from what it printed: when its JVM
     * could not load the main class, the settings that tell the worker's class path and main
     * class; otherwise nothing.
     */
    public static String hintFor(String workerOutput) {
        if (!workerOutput.contains("Could not find or load main class")
                && !workerOutput.contains("ClassNotFoundException: dev.rpcparallel.")) {
            return "";
        }
        ClasspathDetection.Detected known = detected;
        return "\nThe worker's JVM could not load its main class: its class path (taken from "
                + (known != null ? known.source() : "the spawn's options") + ") does not hold this master's"
                + " classes. " + HOW_TO_SET;
    }

    /** The master-wide whole worker command ({@value #COMMAND_PROPERTY}), if set. */
    static Optional<List<String>> command() {
        String command = System.getProperty(COMMAND_PROPERTY);
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(List.of(command.strip().split("\\s+")));
    }

    private static ClasspathDetection.Detected compute() {
        String classPath = System.getProperty(CLASSPATH_PROPERTY);
        String mainClass = System.getProperty(MAIN_CLASS_PROPERTY);
        boolean mainClassSet = mainClass != null && !mainClass.isBlank();
        if (classPath != null && !classPath.isBlank()) {
            return new ClasspathDetection.Detected(ClasspathDetection.absolute(ClasspathDetection.split(classPath)),
                    mainClassSet ? mainClass.strip() : WorkerCommand.WORKER_MAIN, List.of(),
                    "the property " + CLASSPATH_PROPERTY);
        }
        ClasspathDetection.Detected found = ClasspathDetection.detect(WorkerClasspath.class, WorkerCommand.WORKER_MAIN);
        if (mainClassSet) {
            return new ClasspathDetection.Detected(found.entries(), mainClass.strip(), List.of(), found.source());
        }
        return found;
    }

    private static List<String> pluginSettings() {
        List<String> arguments = new ArrayList<>();
        // A plugins directory's jars are on the worker's plain class path; the properties make the
        // worker read the same listing, and its own children get the same jars.
        PluginsDirectory.installed().ifPresent(plugins ->
                arguments.add("-D" + PluginsDirectory.PROPERTY + "=" + plugins.directory()));
        String listing = System.getProperty(WorkerListing.PROPERTY);
        if (listing != null && !listing.isBlank()) {
            arguments.add("-D" + WorkerListing.PROPERTY + "=" + listing);
        }
        return arguments;
    }

    private static List<String> withPlugins(List<String> entries) {
        List<String> all = new ArrayList<>(entries);
        PluginsDirectory.installed().ifPresent(plugins -> plugins.jars().forEach(jar -> all.add(jar.toString())));
        return all;
    }
}
