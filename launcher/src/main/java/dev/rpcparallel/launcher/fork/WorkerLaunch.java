package dev.rpcparallel.launcher.fork;

import dev.rpcparallel.spi.launch.WorkerLauncher;
import java.net.URI;
import java.util.List;

/**
 * Where a worker starts: the launcher and its target URI. {@link #onThisHost()} for
 * {@code local:} and {@code wrap:}, whose processes are this JVM's children (class data sharing,
 * the warm pool, file redirects by the system and the worker's watch of its master's pid apply);
 * any other launcher's processes run elsewhere.
 *
 * @param launcher the launcher of the target's scheme
 * @param target where, e.g. {@code local:}, {@code wrap:nice -n 5}, {@code ssh://h1}
 */
public record WorkerLaunch(WorkerLauncher launcher, URI target) {

    /** The default, {@code local:} (as a URI {@code local:/}: a URI needs something after its scheme). */
    public static final URI LOCAL = URI.create(LocalLauncher.SCHEME + ":/");

    /** Whether the worker is this JVM's child on this host. */
    public boolean onThisHost() {
        return launcher instanceof LocalLauncher || launcher instanceof WrapLauncher;
    }

    /** Whether this is the plain default, {@code local:} without a prefix (the warm pool's kind). */
    public boolean isPlainLocal() {
        return launcher instanceof LocalLauncher;
    }

    /** The command prefix of a {@code wrap:} target; empty for any other. */
    public List<String> prefix() {
        return launcher instanceof WrapLauncher ? WrapLauncher.prefix(target) : List.of();
    }

    /** The target, for messages, unquoted: {@code ssh://h1}, {@code wrap:nice -n 5}. */
    @Override
    public String toString() {
        return target.getScheme() + ":" + target.getSchemeSpecificPart();
    }
}
