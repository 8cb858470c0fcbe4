package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.fork.WorkerCommand;
import java.util.List;
import java.util.Optional;

/** Finds this JVM's worker processes by their command-line marker, as {@code ps} would. */
final class WorkerProcesses {
    private WorkerProcesses() {}

    static List<ProcessHandle> childrenOfThisJvm() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).filter(WorkerProcesses::isWorker).toList();
    }

    static Optional<ProcessHandle> named(String name) {
        return childrenOfThisJvm().stream().filter(child -> arguments(child).contains(name)).findFirst();
    }

    private static boolean isWorker(ProcessHandle process) {
        return arguments(process).contains(WorkerCommand.MARKER);
    }

    private static List<String> arguments(ProcessHandle process) {
        return process.info().arguments().map(List::of).orElse(List.of());
    }
}
