package dev.rpcparallel.benchmarks;

import java.util.List;

/**
 * A peer's child JVM: started like a worker (the harness's JVM options, plus the peer options
 * that match the worker's), it prints one line naming where it serves, then serves until its
 * stdin ends.
 */
final class JvmPeerChild {
    private final ChildJvms.Child child;
    private final String value;

    private JvmPeerChild(ChildJvms.Child child, String value) {
        this.child = child;
        this.value = value;
    }

    /** Starts {@code mainClass} and reads its line {@code KEY VALUE}. */
    static JvmPeerChild start(Class<?> mainClass, String key, List<String> jvmOptions) throws Exception {
        ChildJvms.Child child = ChildJvms.start(mainClass, 1, jvmOptions);
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
