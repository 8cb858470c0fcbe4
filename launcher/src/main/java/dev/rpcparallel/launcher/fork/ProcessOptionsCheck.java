package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.api.SpawnException;
import dev.rpcparallel.api.SpawnOptions;
import java.util.List;
import java.util.Map;

/**
 * Refuses, before anything is started or registered, the spawn options no operating system can
 * give a process: a NUL character in an environment variable's name or value, in a JVM option or
 * in the worker's name (which is on its command line), and a variable name that is empty or
 * holds {@code '='}. The {@link SpawnException} names the variable or option and where the
 * character is.
 */
public final class ProcessOptionsCheck {
    private ProcessOptionsCheck() {}

    /**
     * @param workerName the worker's name, as its command line will show it
     * @throws SpawnException naming the first variable or option no process can carry
     */
    public static void requireStartable(String workerName, SpawnOptions options) {
        String prefix = "Cannot spawn worker '" + printable(workerName) + "': ";
        int nul = workerName.indexOf('\0');
        if (nul >= 0) {
            throw new SpawnException(prefix + "its name holds a NUL character at index " + nul
                    + ", which no command line can carry; remove it");
        }
        for (Map.Entry<String, String> variable : options.environment().entrySet()) {
            String name = variable.getKey();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new SpawnException(prefix + "the environment variable name '" + printable(name) + "' is "
                        + (name.isEmpty() ? "empty" : name.indexOf('=') >= 0
                                ? "not one an environment can hold: it contains '='"
                                : "not one an environment can hold: it has a NUL character at index "
                                        + name.indexOf('\0'))
                        + "; fix it in SpawnOptions.putEnvironment");
            }
            nul = variable.getValue().indexOf('\0');
            if (nul >= 0) {
                throw new SpawnException(prefix + "the value of the environment variable '" + name
                        + "' holds a NUL character at index " + nul + " ('" + printable(variable.getValue())
                        + "'), which no process environment can carry; remove it");
            }
        }
        List<String> jvmOptions = options.jvmOptions();
        for (int i = 0; i < jvmOptions.size(); i++) {
            String option = jvmOptions.get(i);
            nul = option.indexOf('\0');
            if (nul >= 0) {
                throw new SpawnException(prefix + "its JVM option #" + (i + 1) + " ('" + printable(option)
                        + "') holds a NUL character at index " + nul + ", which no command line can carry;"
                        + " remove it");
            }
        }
    }

    /** The text with each NUL shown as {@code \0}. */
    private static String printable(String text) {
        return text.replace("\0", "\\0");
    }
}
