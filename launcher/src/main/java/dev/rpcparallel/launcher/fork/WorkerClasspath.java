package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.launcher.registry.PluginsDirectory;
import dev.rpcparallel.launcher.registry.WorkerListing;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's class path: this JVM's, plus the jars of an installed plugins directory, and the
 * settings that make the worker choose the same plugins. A master computes the arguments once:
 * the class path does not change.
 */
public final class WorkerClasspath {
    private static volatile String classpath;

    private WorkerClasspath() {}

    /**
     * The class path arguments of every worker's command ({@link WorkerCommand#classpathArguments()}):
     * the plugin settings as {@code -D} options, then {@code -cp} and the class path.
     */
    public static List<String> arguments() {
        String computed = compute();
        classpath = computed;
        List<String> arguments = new ArrayList<>();
        // A plugins directory's jars are on the worker's plain class path; the properties make the
        // worker read the same listing, and its own children get the same jars.
        PluginsDirectory.installed().ifPresent(plugins ->
                arguments.add("-D" + PluginsDirectory.PROPERTY + "=" + plugins.directory()));
        String listing = System.getProperty(WorkerListing.PROPERTY);
        if (listing != null && !listing.isBlank()) {
            arguments.add("-D" + WorkerListing.PROPERTY + "=" + listing);
        }
        arguments.add("-cp");
        arguments.add(computed);
        return arguments;
    }

    /** The class path itself, as {@link #arguments()} last computed it. */
    static String classpath() {
        String known = classpath;
        return known != null ? known : compute();
    }

    private static String compute() {
        StringBuilder computed = new StringBuilder(System.getProperty("java.class.path"));
        PluginsDirectory.installed().ifPresent(plugins ->
                plugins.jars().forEach(jar -> computed.append(File.pathSeparator).append(jar)));
        return computed.toString();
    }
}
