package dev.rpcparallel.mapreduce;

import java.util.List;
import java.util.Optional;

/** Finds this JVM's worker processes by their command-line marker, as {@code ps} would. */
final class WorkerProcesses {
    /** The first program argument of every worker, as documented for {@code ps ax | grep rpc-parallel-worker}. */
    private static final String MARKER = "rpc-parallel-worker";

    private WorkerProcesses() {}

    static List<ProcessHandle> childrenOfThisJvm() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).filter(WorkerProcesses::isWorker).toList();
    }

    static Optional<ProcessHandle> named(String name) {
        return childrenOfThisJvm().stream().filter(child -> arguments(child).contains(name)).findFirst();
    }

    private static boolean isWorker(ProcessHandle process) {
        return arguments(process).contains(MARKER);
    }

    private static List<String> arguments(ProcessHandle process) {
        return process.info().arguments().map(List::of).orElse(List.of());
    }
}
