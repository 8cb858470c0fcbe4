package dev.rpcparallel.launcher.cli;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.sharing.AccessFile;
import dev.rpcparallel.launcher.sharing.RuntimeDirectory;
import dev.rpcparallel.launcher.sharing.WorkerEntries;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands on the live workers of this user's applications on this host: {@code ps} and {@code stop}. */
final class WorkersCommands {
    private WorkersCommands() {}

    @Command(name = "ps", mixinStandardHelpOptions = true,
            description = {"List the live workers of your applications on this host, from the private runtime"
                    + " directory (" + RuntimeDirectory.ENVIRONMENT_VARIABLE + ", else rpc-parallel-USER under"
                    + " $XDG_RUNTIME_DIR or the temporary directory). Entries of workers that are gone are removed."})
    static final class Ps implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<AccessFile> live = new WorkerEntries(RuntimeDirectory.ofUser()).live();
            PrintWriter out = spec.commandLine().getOut();
            if (live.isEmpty()) {
                out.println("No live workers in " + RuntimeDirectory.ofUser().workers() + ".");
                out.flush();
                return 0;
            }
            String format = "%-20s %-16s %8s %-14s %-28s %9s  %s%n";
            out.printf(format, "NAME", "TYPE", "PID", "MASTER", "ADDRESS", "UPTIME", "ID");
            long now = System.currentTimeMillis();
            for (AccessFile entry : live) {
                WorkerRef worker = entry.access().worker();
                boolean masterAlive = ProcessHandle.of(entry.masterPid()).map(ProcessHandle::isAlive).orElse(false);
                out.printf(format, worker.name(), worker.workerType(), entry.pid(),
                        entry.masterPid() + (masterAlive ? "" : " (gone)"), worker.address(),
                        uptime(Duration.ofMillis(Math.max(0, now - entry.startedMillis()))), worker.id());
            }
            out.flush();
            return 0;
        }

        static String uptime(Duration up) {
            if (up.toHours() > 0) {
                return up.toHours() + "h" + String.format("%02dm", up.toMinutesPart());
            }
            if (up.toMinutes() > 0) {
                return up.toMinutes() + "m" + String.format("%02ds", up.toSecondsPart());
            }
            return up.toSeconds() + "s";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Shut a live worker down, named as ps lists it (by name, id, or the start of its id),"
                    + " with its built-in shutdown, and wait for its process to exit.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME|ID", description = "The worker's name or id.")
        String worker;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
                description = "How long to wait for its process to exit (default: ${DEFAULT-VALUE}).")
        long waitSeconds;

        @Override
        public Integer call() throws Exception {
            AccessFile entry = new WorkerEntries(RuntimeDirectory.ofUser()).find(worker);
            Optional<ProcessHandle> process = ProcessHandle.of(entry.pid());
            Parallel.shutdown(entry.access());
            PrintWriter out = spec.commandLine().getOut();
            String name = entry.access().worker().name();
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(waitSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    spec.commandLine().getErr().println("rpc-parallel: worker '" + name + "' (pid " + entry.pid()
                            + ") accepted the shutdown but has not exited within " + waitSeconds + " s");
                    return RpcParallelCli.EXIT_FAILURE;
                }
            }
            out.println("Stopped worker '" + name + "' (pid " + entry.pid() + ").");
            out.flush();
            return 0;
        }
    }
}
