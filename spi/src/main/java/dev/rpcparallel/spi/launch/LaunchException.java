package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;

/**
 * A process could not be started. The message names where (host or engine), what went wrong
 * (what the engine said), and the fix. When it is thrown nothing of the attempt runs any more.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class LaunchException extends Exception {
  private static final long serialVersionUID = 1L;

  public LaunchException(String message) {
    super(message);
  }

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
