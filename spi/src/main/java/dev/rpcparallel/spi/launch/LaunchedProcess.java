package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A process started by a {@link WorkerLauncher}: where it runs, its standard streams, how it
 * ended, and how to stop it.
 *
 * <p><b>Streams.</b> {@link #stdin()}, {@link #stdout()} and {@link #stderr()} are the process's
 * (as carried by the launcher: over ssh, ssh's own error messages may appear on stderr too). The
 * caller must drain stdout and stderr. Closing stdin is the polite "you are done" of the worker
 * protocol: a worker exits on end-of-file.
 *
 * <p><b>Threading.</b> All methods are thread-safe. {@link #onExit()} completes on a thread of
 * the launcher; do not block in its callbacks.
 *
 * <p><b>Failure.</b> {@link #onExit()} never completes exceptionally: a process that is lost to
 * the engine (a broken connection, a cancelled job) ends with a {@link ProcessEnd.Kind#ENGINE}
 * reason.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface LaunchedProcess {

  /** Where the process runs: a host name (this host's for a local launch) as the target named it. */
  String host();

  /** A short description for messages, e.g. {@code "ssh://worker-1:2222 pid 4711"}. */
  String description();

  OutputStream stdin();

  InputStream stdout();

  InputStream stderr();

  /** Completes when the process has ended, with how it ended. */
  CompletableFuture<ProcessEnd> onExit();

  /**
   * Asks the process to end: closes its stdin, and after {@code grace} sends it SIGTERM (or the
   * engine's equivalent); returns at once. A process that handles neither is ended by
   * {@link #kill()}.
   */
  void stop(Duration grace);

  /** Ends the process now (SIGKILL or the engine's equivalent) and whatever it started; returns at once. */
  void kill();
}
