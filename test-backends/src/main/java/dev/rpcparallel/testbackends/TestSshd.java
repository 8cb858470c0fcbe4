package dev.rpcparallel.testbackends;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sshd that {@code .ci/sshd.sh start} runs for tests, through the variables that
 * {@code .ci/sshd.sh env} prints: its ssh config, the alias of the sshd on loopback, the client's
 * key and known hosts, its port, and the other hosts (network namespaces) the config names.
 *
 * @param config the ssh config file that names the hosts, keys and known hosts
 * @param host the alias of the sshd on loopback
 * @param key the client's private key
 * @param knownHosts the known-hosts file that holds the sshd's host key
 * @param port the sshd's port on loopback
 * @param otherHosts the aliases of the other hosts the config names; empty when there are none
 */
public record TestSshd(Path config, String host, Path key, Path knownHosts, int port, List<String> otherHosts) {

    /**
     * The test sshd, or null when there is none and CI is not true (after one line on stdout
     * saying why; the caller skips its tests); under CI=true a missing sshd fails the test.
     */
    public static TestSshd findOrExplain() {
        String config = System.getenv("RPC_PARALLEL_TEST_SSH_CONFIG");
        if (config == null || config.isBlank()) {
            String line = "no sshd for the tests of workers over ssh: " + System.getenv().getOrDefault(
                    "RPC_PARALLEL_TEST_SSH_UNAVAILABLE", "RPC_PARALLEL_TEST_SSH_CONFIG is not set"
                    + " (run: .ci/sshd.sh start && eval \"$(.ci/sshd.sh env)\")");
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(line + " (CI=true: these tests must run in CI)");
            }
            System.out.println("SKIPPED " + line);
            return null;
        }
        try {
            String text = Files.readString(Path.of(config));
            Matcher port = Pattern.compile("(?m)^\\s*Port\\s+(\\d+)").matcher(text);
            if (!port.find()) {
                throw new AssertionError("no Port in " + config + ": it is not a config that .ci/sshd.sh wrote");
            }
            // Only the hosts this config names: another instance's namespaces may exist on the machine.
            List<String> others = Arrays.stream(System.getenv().getOrDefault("RPC_PARALLEL_TEST_SSH_OTHER_HOSTS", "")
                    .strip().split("\\s+")).filter(h -> !h.isEmpty() && text.matches("(?s).*Host\\s+" + h + "\\b.*"))
                    .toList();
            return new TestSshd(Path.of(config), System.getenv("RPC_PARALLEL_TEST_SSH_HOST"),
                    Path.of(System.getenv("RPC_PARALLEL_TEST_SSH_KEY")),
                    Path.of(System.getenv("RPC_PARALLEL_TEST_SSH_KNOWN_HOSTS")), Integer.parseInt(port.group(1)), others);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + config, e);
        }
    }

    /** The ssh command of the tests: the system's ssh with this config. */
    public String sshCommand() {
        return "ssh -F " + config;
    }
}
