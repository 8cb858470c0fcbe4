package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.spi.launch.LaunchException;
import java.util.Locale;

/** Turns what ssh printed when it failed into a message naming the host, what ssh said, and the fix. */
final class SshFailures {
  private SshFailures() {}

  static LaunchException classify(SshTarget target, int status, String sshSaid) {
    String said = sshSaid.strip().replaceAll("\\s*\\R\\s*", " | ");
    String lower = said.toLowerCase(Locale.ROOT);
    String where = target.toString();
    String fix;
    String what;
    if (lower.contains("could not resolve hostname") || lower.contains("name or service not known")) {
      what = "unknown host " + target.host();
      fix = "check the name, or add a Host entry for it to your ssh config (or to the -F file in RPC_PARALLEL_SSH)";
    } else if (lower.contains("host key verification failed")
        || lower.contains("remote host identification has changed")
        || lower.contains("no ") && lower.contains("host key is known")) {
      what = lower.contains("has changed")
          ? "the host key of " + target.host() + " has changed"
          : "the host key of " + target.host() + " is not known or has changed";
      fix = "confirm the host's key fingerprint out of band, then replace its known_hosts entry "
          + "(ssh-keygen -R " + target.host() + ", then one interactive ssh to it); "
          + "launches run ssh with BatchMode=yes and never accept a key by themselves";
    } else if (lower.contains("permission denied")) {
      what = "authentication to " + where + " was refused";
      fix = "load a key into ssh-agent or name it (RPC_PARALLEL_SSH=\"ssh -i KEY\"), and add its "
          + "public key to the remote ~/.ssh/authorized_keys; launches run ssh with BatchMode=yes "
          + "and never ask for a password";
    } else if (lower.contains("connection refused") || lower.contains("timed out")
        || lower.contains("no route to host") || lower.contains("network is unreachable")) {
      what = "cannot reach " + where;
      fix = "check that sshd runs there and the host and port are right";
    } else {
      what = "ssh to " + where + " failed (exit status " + status + ")";
      fix = "run the same ssh command by hand to see more (add -v)";
    }
    return new LaunchException(what + ": ssh says: " + (said.isEmpty() ? "(nothing)" : said)
        + ". Fix: " + fix + ".");
  }
}
