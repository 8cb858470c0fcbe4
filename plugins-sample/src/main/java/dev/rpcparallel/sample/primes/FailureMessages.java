package dev.rpcparallel.sample.primes;

import dev.rpcparallel.api.RpcParallelException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one line {@code primes} prints about a failure. */
final class FailureMessages {
    private FailureMessages() {}

    /**
     * One line about a failure: the first line of its message (a remote exception's message goes
     * on with the remote stack trace), prefixed by its class for anything but this library's
     * own exceptions, whose messages say what failed.
     */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        String message = t.getMessage();
        String firstLine = message == null ? "" : message.strip().lines().findFirst().orElse("");
        if (firstLine.isEmpty() && t.getCause() != null && t.getCause() != t) {
            return t.getClass().getName() + ": " + describe(t.getCause());
        }
        boolean selfExplaining = t instanceof RpcParallelException;
        if (selfExplaining && !firstLine.isEmpty()) {
            return firstLine;
        }
        return firstLine.isEmpty() ? t.getClass().getName() : t.getClass().getName() + ": " + firstLine;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
