package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.launch.ssh.SshClient.Deadline;
import dev.rpcparallel.spi.launch.Availability;
import dev.rpcparallel.spi.launch.ClassDataSharingOptions;
import dev.rpcparallel.spi.launch.LaunchException;
import dev.rpcparallel.spi.launch.LaunchSpec;
import dev.rpcparallel.spi.launch.LaunchedProcess;
import dev.rpcparallel.spi.launch.WorkerLauncher;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts processes on other hosts through the system's OpenSSH client: {@code
 * ssh://[user@]host[:port]}, where host may be a {@code Host} alias of the user's ssh config.
 *
 * <p><b>How.</b> ssh runs with {@code BatchMode=yes} (never a password or host-key prompt) and
 * the user's config, agent and known_hosts; one master connection per host
 * ({@code ControlMaster}, socket in a private 0700 directory, kept {@code ControlPersist}) so a
 * later launch skips the handshake. Each launch is one ssh session: a script there reports the
 * remote java and the class-path cache, the launcher checks them and copies the entries that are
 * missing (each once, checked by SHA-256 there) while the session waits, then the script starts
 * the process with the class-data archive kept in that cache ({@link RemoteClassDataSharing}),
 * in a wrapper that ends it at end-of-file on its stdin: when this
 * JVM dies, its ssh client dies, the session's stdin ends, and the wrapper sends SIGTERM to the
 * session's process group after {@link SshSettings#eofGrace()}, SIGKILL 5 s later. So
 * {@link LaunchedProcess#stop(Duration)} waits at most the shorter of its grace and the EOF grace
 * before SIGTERM, and {@link LaunchedProcess#kill()} sends SIGKILL to the session's process group
 * over the master connection.
 *
 * <p><b>Threading.</b> Thread-safe; launches to one host share its master connection.
 *
 * <p><b>Failure.</b> A {@link LaunchException} names the host, what ssh or the remote shell
 * said, and the fix: unknown host, refused authentication, unknown or changed host key, no or too
 * old java, no disk space for the cache, a mismatching class path in verify mode. Nothing of a
 * failed launch keeps running.
 */
public final class SshLauncher implements WorkerLauncher {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SshSettings settings;
  private final SshClient ssh;
  private final ClassPathDigester digester;
  private final ClassPathShipper shipper;

  /** With the settings of the environment ({@link SshSettings#fromEnvironment()}). */
  public SshLauncher() {
    this(SshSettings.fromEnvironment());
  }

  public SshLauncher(SshSettings settings) {
    this.settings = settings;
    this.ssh = new SshClient(settings);
    Path packs = settings.controlDirectory().resolve("packed");
    this.digester = new ClassPathDigester(packs);
    this.shipper = new ClassPathShipper(ssh, settings, digester);
  }

  @Override
  public String scheme() {
    return "ssh";
  }

  @Override
  public Availability availability() {
    String program = settings.sshCommand().get(0);
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program)) ? Availability.yes()
          : Availability.no("the ssh command " + program + " is not an executable file: "
              + "fix RPC_PARALLEL_SSH");
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return Availability.yes();
      }
    }
    return Availability.no("no " + program + " on the PATH: install OpenSSH's client "
        + "(e.g. apt-get install openssh-client), or set RPC_PARALLEL_SSH to its path");
  }

  @Override
  public LaunchedProcess launch(LaunchSpec spec, URI target, Duration timeout)
      throws LaunchException {
    if (spec.isWholeCommand()) {
      throw new LaunchException(target + ": a whole worker command (" + String.join(" ", spec.command())
          + ") cannot start a worker over ssh: the ssh launcher ships a class path and runs java"
          + " there. Fix: leave the command to the runtime for workers over ssh (set the worker's"
          + " class path or main class instead), or start this worker on this host (local: or wrap:).");
    }
    SshTarget host = SshTarget.parse(target);
    SshSettings settings = this.settings.forTarget(target);
    ClassPathShipper shipper = settings.equals(this.settings) ? this.shipper
        : new ClassPathShipper(ssh, settings, digester);
    Deadline deadline = Deadline.after(timeout);
    ssh.ensureMaster(host, deadline);
    List<ClassPathEntry> entries = shipper.entries(host, spec.classPath());
    String runId = HexFormat.of().formatHex(randomBytes());
    List<String> command = new ArrayList<>();
    command.add("env");
    for (Map.Entry<String, String> variable : spec.environment().entrySet()) {
      command.add(variable.getKey() + "=" + variable.getValue());
    }
    command.add(settings.remoteJava());
    int beforeOptions = command.size();
    command.addAll(spec.jvmOptions());
    command.add(spec.mainClass());
    command.addAll(spec.arguments());
    List<String> names = shipper.remoteNames(entries);
    Optional<String> archiveKey = RemoteClassDataSharing.archiveKey(settings, entries, spec.jvmOptions());
    String dumpOptions = archiveKey.isEmpty() ? ""
        : String.join("\n", ClassDataSharingOptions.staticDumpOptions(spec.jvmOptions()));
    List<String> args = new ArrayList<>(List.of(settings.remoteCacheDirectory().orElse(""),
        settings.remoteJava(), settings.classPathMode() == SshSettings.ClassPathMode.VERIFY ? "verify" : "ship",
        archiveKey.orElse(""), runId, Long.toString(Math.max(0, settings.eofGrace().toSeconds())),
        spec.workingDirectory().map(Path::toString).orElse(""),
        Integer.toString(names.size()), Integer.toString(beforeOptions), dumpOptions));
    args.addAll(names);
    args.addAll(command);
    String remote = RemoteScripts.command(RemoteScripts.LAUNCH, "rpc-parallel-run-" + runId, args);
    LaunchSession session = LaunchSession.start(ssh, host, remote, settings.sshCommand().get(0));
    int copied;
    try {
      LaunchSession.Report report = session.awaitReport(deadline);
      if (!report.awaitingGo() && report.status() != 0) {
        throw SshFailures.classify(host, report.status(), report.stderr());
      }
      copied = shipper.checkAndCopy(host, report.probe(), report.stderr(), entries, deadline);
      if (!report.awaitingGo()) {
        throw new LaunchException("the launch script on " + host.host() + " ended before it started "
            + spec.mainClass() + ": the remote shell says: " + report.stderr().strip()
            + ". Fix: check that sh and the usual commands (mkdir, stat, awk, mkfifo) work there");
      }
      session.go();
    } catch (LaunchException | RuntimeException e) {
      session.abort();
      throw e;
    }
    return new SshProcess(host, ssh, session.client(), runId, copied);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * Stops the master connections this launcher started from taking new sessions: each ends when
   * its last session has ended, so that processes launched over it, by this launcher or another
   * one (of another runtime in this JVM, or of another JVM) sharing it, keep running.
   */
  @Override
  public void close() {
    ssh.close();
  }
}
