package dev.rpcparallel.launch.ssh;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An {@code ssh://[user@]host[:port]} target: what ssh needs to reach it (its query, settings of
 * the launch, is {@link SshSettings#forTarget}'s). Immutable.
 */
record SshTarget(Optional<String> user, String host, OptionalInt port) {

  static SshTarget parse(URI uri) {
    if (!"ssh".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an ssh:// target: " + uri);
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("ssh target " + uri
          + " names no host: write ssh://[user@]host[:port] (host may be a Host alias of your ssh config)");
    }
    if (host.startsWith("-")) {
      throw new IllegalArgumentException("ssh target " + uri + ": a host name cannot start with '-'");
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException("ssh target " + uri
          + " has a path; write ssh://[user@]host[:port][?java=PATH&cache=DIR&classpath=ship|verify]");
    }
    String user = uri.getUserInfo();
    if (user != null && (user.isEmpty() || user.startsWith("-") || user.contains(":"))) {
      throw new IllegalArgumentException("ssh target " + uri
          + ": bad user name (no password in the URI: ssh authenticates with keys)");
    }
    return new SshTarget(Optional.ofNullable(user), host,
        uri.getPort() < 0 ? OptionalInt.empty() : OptionalInt.of(uri.getPort()));
  }

  /** The arguments that name this target to ssh: {@code [-l user] [-p port] -- host}. */
  List<String> sshArguments() {
    List<String> args = new ArrayList<>();
    user.ifPresent(u -> {
      args.add("-l");
      args.add(u);
    });
    port.ifPresent(p -> {
      args.add("-p");
      args.add(Integer.toString(p));
    });
    args.add("--");
    args.add(host);
    return args;
  }

  @Override
  public String toString() {
    return "ssh://" + user.map(u -> u + "@").orElse("") + host
        + (port.isPresent() ? ":" + port.getAsInt() : "");
  }
}
