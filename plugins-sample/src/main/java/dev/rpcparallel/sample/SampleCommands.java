package dev.rpcparallel.sample;

import dev.rpcparallel.api.RpcParallelException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** What the sample apps share: running their picocli command and a one-line failure message. */
public final class SampleCommands {
    private SampleCommands() {}

    /**
     * Runs a picocli command object with {@code args}: usage errors exit 2 (picocli's own
     * message), a failure exits 1 with {@code NAME: } and {@link #describe} of it on {@code err}.
     */
    public static int run(String name, Object command, PrintWriter out, PrintWriter err, List<String> args) {
        CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cl, parseResult) -> {
                    err.println(name + ": " + describe(e));
                    return CommandLine.ExitCode.SOFTWARE;
                });
        try {
            return commandLine.execute(args.toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * A failure in one line: the library's own exceptions say what went wrong in their first
     * line; anything else is named by its type too.
     */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        String firstLine = message == null ? "" : message.strip().lines().findFirst().orElse("");
        if (failure instanceof RpcParallelException && !firstLine.isEmpty()) {
            return firstLine;
        }
        return firstLine.isEmpty() ? failure.getClass().getName() : failure.getClass().getName() + ": " + firstLine;
    }
}
