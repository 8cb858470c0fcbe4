package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.SpawnOptions;
import java.lang.reflect.Modifier;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;

/**
 * The selector provider of a worker started on this host with the master's {@code java} binary
 * and class path, named on its command line as the master resolved it.
 *
 * <p>At a process's first socket channel the JDK chooses its {@link SelectorProvider}: the class
 * named by the system property {@value #PROPERTY}; else the first provider a
 * {@link java.util.ServiceLoader} finds through the system class loader, a lookup that opens every
 * jar of the class path and reads its whole central directory (on a class path of a few dozen jars,
 * ten thousand entries and tens of milliseconds of CPU); else its own. A worker started with the
 * master's {@code java} and class path finds what the master found, so the master names that
 * class, and the worker's JDK makes it by name without the lookup. The JDK instantiates the named
 * class from its own module, so its built-in provider (in a package it does not export) can be
 * named; a class without a public constructor taking nothing could not be made that way, and is
 * not named.
 *
 * <p>Nothing is named when the spawn replaces the JVM options (they are then the worker's,
 * exactly), when the spawn or the master sets the property itself (the master's inherited option
 * carries its own choice), or when the master's provider cannot be made by name. Stateless.
 */
final class SelectorProviderOption {
    /** The JDK's property naming the selector provider class. */
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

    private SelectorProviderOption() {}

    /**
     * The option naming this JVM's selector provider, for a worker on this host with this JVM's
     * {@code java} and class path spawned with {@code options}; empty when it is not to be named.
     */
    static List<String> forWorker(SpawnOptions options) {
        if (!options.inheritJvmOptions() || System.getProperty(PROPERTY) != null) {
            return List.of();
        }
        for (String option : options.jvmOptions()) {
            if (option.startsWith("-D" + PROPERTY + "=")) {
                return List.of();
            }
        }
        Class<?> provider = SelectorProvider.provider().getClass();
        return makeableByName(provider) ? List.of("-D" + PROPERTY + "=" + provider.getName()) : List.of();
    }

    /** Whether the JDK can make {@code type} from the property: a public class with a public constructor taking nothing. */
    static boolean makeableByName(Class<?> type) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return false;
        }
        try {
            return Modifier.isPublic(type.getConstructor().getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
