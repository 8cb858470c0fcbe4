package dev.rpcparallel.sample.calculator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The calculator worker called from Python 3 (calculator_client.py, through clients/python and the
 * Python generated from calculator.thrift): a struct argument, the declared exception
 * InvalidOperation raised in Python, a oneway method. Without a python3 that has Apache Thrift's
 * Python library (python3-thrift) the test skips with one line, except where CI=true.
 */
class PythonCalculatorIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void pythonCallsTheCalculatorAndGetsItsDeclaredException() throws Exception {
        String python = findPython();
        WorkerRef worker = Parallel.spawn(CalculatorService.TYPE.type(), null,
                SpawnOptions.builder().name("python-calculator").build());
        Path access = WorkerAccess.export(worker);
        Path root = repositoryRoot();
        ProcessBuilder builder = new ProcessBuilder(python,
                root.resolve("plugins-sample/src/main/python/calculator_client.py").toString(), access.toString());
        builder.environment().put("PYTHONPATH",
                root.resolve("clients/python") + ":" + root.resolve("plugins-sample/src/main/python"));
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("calculator_client.py did not finish within 120 s");
        }
        assertThat(process.exitValue()).as("exit status; stderr:%n%s", err.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.get(30, TimeUnit.SECONDS).lines()).containsExactly(
                "python: add(1, 2) = 3",
                "python: calculate(6 * 7) = 42",
                "python: declared exception: calculate(1 / 0) threw InvalidOperation(whatOp=4, why=\"Cannot divide by 0\")",
                "python: calculations() = 2");
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        for (Path candidate : List.of(Path.of(".."), Path.of("."))) {
            if (Files.isDirectory(candidate.resolve("clients/python/rpc_parallel"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("clients/python not found from " + Path.of("").toAbsolutePath());
    }

    /** A python3 that imports thrift: $RPC_PARALLEL_TEST_PYTHON, else python3 on the PATH, else /usr/bin/python3. */
    private static String findPython() throws InterruptedException {
        String chosen = System.getenv("RPC_PARALLEL_TEST_PYTHON");
        List<String> candidates = chosen != null && !chosen.isBlank() ? List.of(chosen) : List.of("python3", "/usr/bin/python3");
        for (String candidate : candidates) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import thrift").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not there: try the next
            }
        }
        String line = "no python3 with Apache Thrift's Python library among " + candidates
                + " (install python3-thrift, or set RPC_PARALLEL_TEST_PYTHON)";
        if ("true".equals(System.getenv("CI"))) {
            fail(line + " (CI=true: the Python client's tests must run in CI)");
        }
        System.out.println("SKIPPED PythonCalculatorIT: " + line);
        Assumptions.abort(line);
        return null;
    }
}
