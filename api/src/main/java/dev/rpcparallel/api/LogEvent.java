package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * One event of a worker's log, as {@link Connection#logs()} streams it.
 *
 * @param epochMillis when it was logged
 * @param level {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}
 * @param logger the logger's name
 * @param thread the thread that logged it
 * @param message the formatted message
 * @param thrown the stack trace of the exception logged with it, or {@code null}
 */
@API(status = API.Status.STABLE, since = "0.1")
public record LogEvent(long epochMillis, String level, String logger, String thread, String message, String thrown) {

    @Override
    public String toString() {
        return level + " [" + thread + "] " + logger + ": " + message + (thrown == null ? "" : "\n" + thrown);
    }
}
