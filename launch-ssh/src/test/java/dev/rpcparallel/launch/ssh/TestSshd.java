package dev.rpcparallel.launch.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sshd for tests that {@code .ci/sshd.sh start} runs (its {@code env} prints the variables read
 * here). Without it the tests are skipped (one line on stdout says why), except under CI=true,
 * where they fail.
 */
record TestSshd(Path config, String host, Path key, Path knownHosts, int port) {

  /** The test sshd, or null (after one line saying why) when there is none and CI is not true. */
  static TestSshd findOrExplain() {
    String config = System.getenv("RPC_PARALLEL_TEST_SSH_CONFIG");
    if (config == null || config.isBlank()) {
      String why = System.getenv().getOrDefault("RPC_PARALLEL_TEST_SSH_UNAVAILABLE",
          "RPC_PARALLEL_TEST_SSH_CONFIG is not set (run: .ci/sshd.sh start && eval \"$(.ci/sshd.sh env)\")");
      String line = "no sshd for the ssh launcher's tests: " + why;
      if ("true".equals(System.getenv("CI"))) {
        fail(line + " (CI=true: these tests must run in CI)");
      }
      System.out.println("SKIPPED " + line);
      return null;
    }
    try {
      Matcher port = Pattern.compile("(?m)^\\s*Port\\s+(\\d+)").matcher(Files.readString(Path.of(config)));
      if (!port.find()) {
        fail("no Port in " + config);
      }
      return new TestSshd(Path.of(config), System.getenv("RPC_PARALLEL_TEST_SSH_HOST"),
          Path.of(System.getenv("RPC_PARALLEL_TEST_SSH_KEY")),
          Path.of(System.getenv("RPC_PARALLEL_TEST_SSH_KNOWN_HOSTS")),
          Integer.parseInt(port.group(1)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + config, e);
    }
  }
}
