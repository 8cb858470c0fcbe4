package dev.rpcparallel.testbackends;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Python 3 with Apache Thrift's Python library, and this repository's Python client, for tests. */
public final class TestPython {
    private TestPython() {
    }

    /**
     * A python3 that imports thrift: {@code $RPC_PARALLEL_TEST_PYTHON}, else python3 on the PATH,
     * else the system's /usr/bin/python3 (where Debian's python3-thrift installs). Skips the test,
     * or fails it under CI, when none does.
     */
    public static String withThriftOrSkip(String forWhat) throws InterruptedException {
        String chosen = System.getenv("RPC_PARALLEL_TEST_PYTHON");
        List<String> candidates = chosen != null && !chosen.isBlank() ? List.of(chosen) : List.of("python3", "/usr/bin/python3");
        for (String candidate : candidates) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import thrift").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
                probe.destroyForcibly();
            } catch (IOException e) {
                // not there: try the next
            }
        }
        TestBackends.skipOrFail("no python3 with Apache Thrift's Python library for " + forWhat + " among " + candidates
                + " (install python3-thrift, or set RPC_PARALLEL_TEST_PYTHON)");
        throw new AssertionError("unreachable: skipOrFail returns only by throwing");
    }

    /** The repository's root (the directory with {@code clients/python}), from a module's directory or the root. */
    public static Path repositoryRoot() {
        for (Path candidate : List.of(Path.of(".."), Path.of("."))) {
            if (Files.isDirectory(candidate.resolve("clients/python/rpc_parallel"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("clients/python not found from " + Path.of("").toAbsolutePath());
    }
}
