package dev.rpcparallel.testbackends;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when the engine it needs is not there: outside CI it is skipped, with one
 * line on stdout saying why (the line names the variable or package that is missing and the
 * command that provides it); under {@code CI=true}, where {@code .ci/run} starts every engine,
 * it fails with that line.
 */
public final class TestBackends {
    private TestBackends() {
    }

    /** Skips the calling test (or test class, from {@code @BeforeAll}) with {@code line}, or fails under CI. */
    public static void skipOrFail(String line) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(line + " (CI=true: these tests must run in CI)");
        }
        System.out.println("SKIPPED " + line);
        Assumptions.abort(line);
    }
}
