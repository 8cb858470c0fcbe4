package dev.rpcparallel.api;

import static java.util.Objects.requireNonNull;

import dev.rpcparallel.api.annotation.API;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a spawned worker's stdout or stderr goes. The default, {@link #toMaster()}, copies each
 * line to the master's own stream prefixed {@code [worker NAME] }. Whatever the target, the
 * worker flushes its streams before it exits, a failure exit included.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Redirect {
    /** The kinds of target. */
    public enum Kind { TO_MASTER, FILE, APPEND_TO_FILE, DISCARD }

    private static final Redirect TO_MASTER = new Redirect(Kind.TO_MASTER, null);
    private static final Redirect DISCARD = new Redirect(Kind.DISCARD, null);

    private final Kind kind;
    private final Path file;

    private Redirect(Kind kind, Path file) {
        this.kind = kind;
        this.file = file;
    }

    /** To the master's stream of the same name, each line prefixed {@code [worker NAME] }. */
    public static Redirect toMaster() {
        return TO_MASTER;
    }

    /** To a file, truncated first; created if absent. */
    public static Redirect toFile(Path file) {
        return new Redirect(Kind.FILE, requireNonNull(file, "file").toAbsolutePath());
    }

    /** To the end of a file; created if absent. */
    public static Redirect appendTo(Path file) {
        return new Redirect(Kind.APPEND_TO_FILE, requireNonNull(file, "file").toAbsolutePath());
    }

    /** Nowhere. */
    public static Redirect discard() {
        return DISCARD;
    }

    public Kind kind() {
        return kind;
    }

    /** The file, for the file kinds. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TO_MASTER -> "to the master, prefixed";
            case FILE -> "to " + file;
            case APPEND_TO_FILE -> "appended to " + file;
            case DISCARD -> "discarded";
        };
    }
}
