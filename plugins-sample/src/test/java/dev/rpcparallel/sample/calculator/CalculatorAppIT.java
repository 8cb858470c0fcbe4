package dev.rpcparallel.sample.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.sample.AppOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Runs the calculator app in this JVM as master, against two real worker processes. */
class CalculatorAppIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void callsTheServiceFromSeveralThreadsAndShowsADeclaredException() {
        AppOutcome outcome = AppOutcome.of(new CalculatorApp()::run, "--threads", "6", "--calls", "50");

        System.out.print(outcome.out());
        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isZero();
        assertThat(outcome.out().lines().filter(line -> !line.startsWith("[worker "))).containsExactly(
                "spawned 2 workers serving Thrift service Calculator [add, calculate, calculations, note, ping]",
                "calculate: 6 threads made 300 calls through Calculator.Iface, shared by all threads on 2 connections:"
                        + " every answer right",
                "declared exception: calculate(1 / 0) threw InvalidOperation(whatOp=4, why=\"Cannot divide by 0\")",
                "future: calculate(6 * 7) through Calculator.FutureIface = 42",
                "oneway: note(...) sent without waiting; the two workers answered 302 calculate calls");
    }
}
