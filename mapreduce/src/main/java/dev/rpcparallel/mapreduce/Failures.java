package dev.rpcparallel.mapreduce;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** One line about a failure, for messages that repeat their cause's. */
final class Failures {
    private Failures() {}

    /** The failure inside a future's wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The first line of the message (a remote exception's goes on with the remote stack trace), or the class name. */
    static String firstLine(Throwable t) {
        String message = t.getMessage();
        String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? t.getClass().getName() : line;
    }
}
