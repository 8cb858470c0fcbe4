package dev.rpcparallel.launcher.protocol;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The text of a throwable's stack trace, as {@link Throwable#printStackTrace()} prints it. */
public final class StackTraces {
    private StackTraces() {}

    /** The stack trace of {@code failure} with its causes and suppressed exceptions, lines ending in the platform's separator. */
    public static String text(Throwable failure) {
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            failure.printStackTrace(writer);
        }
        return text.toString();
    }
}
