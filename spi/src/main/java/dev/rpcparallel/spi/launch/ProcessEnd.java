package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a launched process ended: it exited with a code, a signal ended it, or the engine that ran
 * it ended it for a reason of its own (a time limit, a cancelled job, a lost connection).
 *
 * <p>A remote shell reports a death by signal {@code N} as exit status {@code 128+N}; launchers
 * that cannot tell the two apart report statuses 129 to 192 as {@link Kind#SIGNALLED}, as the
 * JDK's {@link Process#exitValue()} does on Unix.
 *
 * @param kind which of the three
 * @param code the exit code ({@link Kind#EXITED}) or the signal number ({@link Kind#SIGNALLED});
 *     0 for {@link Kind#ENGINE}
 * @param reason what ended it, in words (e.g. {@code "exit code 3"}, {@code "signal 9 (KILL)"},
 *     {@code "ssh to h1 lost its connection: ..."})
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ProcessEnd(Kind kind, int code, String reason) {

  /** The three ways a process ends. */
  public enum Kind {
    EXITED,
    SIGNALLED,
    ENGINE
  }

  public ProcessEnd {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  public static ProcessEnd exited(int code) {
    return new ProcessEnd(Kind.EXITED, code, "exit code " + code);
  }

  public static ProcessEnd signalled(int signal) {
    return new ProcessEnd(Kind.SIGNALLED, signal, "signal " + signal + signalName(signal));
  }

  public static ProcessEnd engine(String reason) {
    return new ProcessEnd(Kind.ENGINE, 0, reason);
  }

  /** An exit status as a Unix shell reports it: 129..192 is a death by signal status-128. */
  public static ProcessEnd fromShellStatus(int status) {
    return status > 128 && status <= 128 + 64 ? signalled(status - 128) : exited(status);
  }

  /** The exit code, if the process exited by itself. */
  public OptionalInt exitCode() {
    return kind == Kind.EXITED ? OptionalInt.of(code) : OptionalInt.empty();
  }

  /** The signal number, if a signal ended the process. */
  public OptionalInt signal() {
    return kind == Kind.SIGNALLED ? OptionalInt.of(code) : OptionalInt.empty();
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> " (HUP)";
      case 2 -> " (INT)";
      case 6 -> " (ABRT)";
      case 9 -> " (KILL)";
      case 15 -> " (TERM)";
      default -> "";
    };
  }

  @Override
  public String toString() {
    return reason;
  }
}
