package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.util.Objects;

/**
 * Whether a launcher can start processes on this machine, and if not, why and how to fix it
 * (e.g. {@code "no ssh client: install OpenSSH's ssh or set RPC_PARALLEL_SSH"}).
 *
 * @param isAvailable whether launches can be attempted
 * @param reason why not, with the fix; empty when available
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Availability(boolean isAvailable, String reason) {

  private static final Availability AVAILABLE = new Availability(true, "");

  public Availability {
    Objects.requireNonNull(reason, "reason");
  }

  public static Availability yes() {
    return AVAILABLE;
  }

  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
