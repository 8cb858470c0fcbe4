package dev.rpcparallel.launcher;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The sshd that {@code .ci/sshd.sh start} runs for tests ({@code .ci/sshd.sh env} prints the
 * variables read here): its ssh config and host alias, and the other hosts (network namespaces)
 * that the config names. Without it the tests are skipped, one line on stdout saying why, except
 * under CI=true, where they fail.
 *
 * @param config the ssh config file that names the hosts, keys and known hosts
 * @param host the alias of the sshd on loopback
 * @param otherHosts the aliases of the other hosts the config names; empty when there are none
 */
record TestSshd(Path config, String host, List<String> otherHosts) {

    /** The test sshd, or null (after one line saying why) when there is none and CI is not true. */
    static TestSshd findOrExplain() {
        String config = System.getenv("RPC_PARALLEL_TEST_SSH_CONFIG");
        if (config == null || config.isBlank()) {
            String why = System.getenv().getOrDefault("RPC_PARALLEL_TEST_SSH_UNAVAILABLE",
                    "RPC_PARALLEL_TEST_SSH_CONFIG is not set (run: .ci/sshd.sh start && eval \"$(.ci/sshd.sh env)\")");
            String line = "no sshd for the tests of workers over ssh: " + why;
            if ("true".equals(System.getenv("CI"))) {
                fail(line + " (CI=true: these tests must run in CI)");
            }
            System.out.println("SKIPPED " + line);
            return null;
        }
        try {
            String text = Files.readString(Path.of(config));
            // Only the hosts this config names: others' namespaces may exist on the machine.
            List<String> others = Arrays.stream(System.getenv().getOrDefault("RPC_PARALLEL_TEST_SSH_OTHER_HOSTS", "")
                    .strip().split("\\s+")).filter(h -> !h.isEmpty() && text.matches("(?s).*Host\\s+" + h + "\\b.*"))
                    .toList();
            return new TestSshd(Path.of(config), System.getenv("RPC_PARALLEL_TEST_SSH_HOST"), others);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + config, e);
        }
    }

    /** The ssh command of the tests: the system's ssh with this config. */
    String sshCommand() {
        return "ssh -F " + config;
    }
}
