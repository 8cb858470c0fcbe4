package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Starts processes somewhere: on this host, under a command prefix, on another host, as a job of
 * a cluster engine. Each implementation serves one URI {@linkplain #scheme() scheme} (e.g.
 * {@code ssh} for {@code ssh://user@host:port}) and is found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.rpcparallel.spi.launch.WorkerLauncher} entry; see
 * {@link WorkerLaunchers}). Implementations need a public no-argument constructor and take their
 * settings from the environment or system properties, or offer a constructor with settings for
 * direct use.
 *
 * <p><b>Contract.</b> {@link #launch} either returns a handle of a process that has been started
 * (whose stdin, stdout and stderr the caller must then serve: a process whose output nobody reads
 * may block), or throws a {@link LaunchException} naming the target, what went wrong and the fix,
 * having left nothing running. It gives up within {@code timeout} (a launch may have to connect,
 * authenticate and copy files first). The process must not outlive its launcher's JVM unnoticed:
 * when the JVM that launched it dies, the process sees end-of-file on its stdin, and a launcher
 * guarantees that this ends it (see each implementation for how).
 *
 * <p><b>Threading.</b> Implementations are thread-safe: launches to the same or different targets
 * may run concurrently. A launcher may keep shared resources (connections, caches) between
 * launches; {@link #close()} releases them and does not stop processes already launched.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface WorkerLauncher extends AutoCloseable {

  /** The URI scheme this launcher serves, lower case, e.g. {@code "ssh"}. */
  String scheme();

  /**
   * Whether this launcher can work on this machine (its client programs are installed, its
   * settings make sense); cheap, and does not contact any target.
   */
  Availability availability();

  /**
   * Starts {@code spec} at {@code target}.
   *
   * @param spec what to run
   * @param target where, a URI of this launcher's {@link #scheme()}
   * @param timeout how long connecting, checking and starting may take in all
   * @return the handle of the started process
   * @throws LaunchException when it cannot be started; the message names the target, the cause
   *     and the fix; nothing of the attempt is left running
   * @throws IllegalArgumentException when {@code target} is not a URI of this launcher's scheme
   */
  LaunchedProcess launch(LaunchSpec spec, URI target, Duration timeout) throws LaunchException;

  /**
   * The host that {@code target} names, if it names one before the launch: {@code h1} for
   * {@code ssh://user@h1:22}. Empty when the engine chooses the host at launch (a scheduler's
   * partition, such as the {@code gpu} of {@code slurm://gpu}, is not a host). The caller picks
   * the address it tells the process by the route toward this host, or, when it is empty, any
   * address of its own host but loopback. The default is the URI's host component. Cheap: no
   * lookup, no contact with the target.
   */
  default Optional<String> host(URI target) {
    return Optional.ofNullable(target.getHost());
  }

  /** Releases shared resources (e.g. ssh master connections); launched processes keep running. */
  @Override
  default void close() {}
}
