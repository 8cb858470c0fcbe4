package dev.rpcparallel.benchmarks;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A peer's child JVM: started like a worker (the same {@code java}, the harness's JVM options,
 * plus the peer options that match the worker's), it prints one line naming where it serves,
 * then serves until its stdin ends. Its class path is the harness's without rpc-parallel's own
 * jars, Log4j and picocli: what a hand-written child has (the benchmark jar with the child's
 * main class, and the peer's libraries).
 */
final class JvmPeerChild {
    /** The harness's class path less what only rpc-parallel's runtime uses. */
    static final String CLASSPATH = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> {
                String name = Path.of(entry).getFileName().toString();
                return name.startsWith("rpc-parallel-benchmarks")
                        || !(name.startsWith("rpc-parallel-") || name.startsWith("log4j-") || name.startsWith("picocli-"));
            })
            .collect(Collectors.joining(File.pathSeparator));

    private final ChildJvms.Child child;
    private final String value;

    private JvmPeerChild(ChildJvms.Child child, String value) {
        this.child = child;
        this.value = value;
    }

    /** Starts {@code mainClass} and reads its line {@code KEY VALUE}. */
    static JvmPeerChild start(Class<?> mainClass, String key, List<String> jvmOptions) throws Exception {
        ChildJvms.Child child = ChildJvms.start(mainClass, 1, CLASSPATH, jvmOptions);
        String line = child.firstLines().get(0);
        if (!line.startsWith(key + " ")) {
            child.finish();
            throw new IllegalStateException(mainClass.getSimpleName() + " printed '" + line + "', not '" + key
                    + " ...'");
        }
        return new JvmPeerChild(child, line.substring(key.length() + 1));
    }

    /** What the child printed after its key: a port, or an encoded stub. */
    String value() {
        return value;
    }

    long pid() {
        return child.process().pid();
    }

    /** Closes its stdin and waits for its exit. */
    void finish() throws InterruptedException {
        child.finish();
    }
}
