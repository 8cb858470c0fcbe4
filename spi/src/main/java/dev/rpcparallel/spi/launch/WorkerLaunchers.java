package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the {@link WorkerLauncher} for a target URI's scheme among those on the class path
 * ({@link ServiceLoader}). Thread-safe; each call loads afresh (callers keep what they find).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class WorkerLaunchers {
  private WorkerLaunchers() {}

  /**
   * The launcher for {@code target}'s scheme.
   *
   * @throws IllegalArgumentException naming the known schemes when none serves it, or when
   *     {@code target} has no scheme
   */
  public static WorkerLauncher forTarget(URI target, ClassLoader loader) {
    String scheme = target.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("launch target " + target
          + " has no scheme: write it as a URI, e.g. ssh://user@host");
    }
    TreeSet<String> known = new TreeSet<>();
    for (WorkerLauncher launcher : all(loader)) {
      if (launcher.scheme().equalsIgnoreCase(scheme)) {
        return launcher;
      }
      known.add(launcher.scheme());
    }
    throw new IllegalArgumentException("no launcher for " + scheme.toLowerCase(Locale.ROOT)
        + ":// targets (" + target + "); launchers on the class path: "
        + (known.isEmpty() ? "none" : String.join(", ", known))
        + "; add the module that provides it (e.g. rpc-parallel-launch-ssh for ssh://)");
  }

  /** Every launcher on the class path of {@code loader}. */
  public static List<WorkerLauncher> all(ClassLoader loader) {
    List<WorkerLauncher> launchers = new ArrayList<>();
    ServiceLoader.load(WorkerLauncher.class, loader).forEach(launchers::add);
    return launchers;
  }
}
