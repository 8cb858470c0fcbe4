package dev.rpcparallel.sample.calculator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.testbackends.TestPython;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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
        String python = TestPython.withThriftOrSkip("the calculator's Python client test");
        WorkerRef worker = Parallel.spawn(CalculatorService.TYPE.type(), null,
                SpawnOptions.builder().name("python-calculator").build());
        Path access = WorkerAccess.export(worker);
        Path root = TestPython.repositoryRoot();
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
}
