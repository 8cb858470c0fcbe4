package dev.rpcparallel.sample.calculator;

import dev.rpcparallel.sample.calculator.thrift.Calculator;
import dev.rpcparallel.sample.calculator.thrift.InvalidOperation;
import dev.rpcparallel.sample.calculator.thrift.Operation;
import dev.rpcparallel.sample.calculator.thrift.Work;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The calculator: plain generated-{@code Iface} code, as it would be behind any Thrift server.
 * Thread-safe: a worker runs the calls of all its connections concurrently.
 */
public final class CalculatorHandler implements Calculator.Iface {
    /** Made at the first message, not with the plugin: a worker that logs nothing never starts Log4j. */
    private static final class Log {
        static final Logger LOG = LogManager.getLogger(CalculatorHandler.class);
    }

    private final AtomicLong calculations = new AtomicLong();

    @Override
    public void ping() {}

    @Override
    public int add(int num1, int num2) {
        return num1 + num2;
    }

    @Override
    public int calculate(int logid, Work work) throws InvalidOperation {
        calculations.incrementAndGet();
        Operation op = work.getOp();
        if (op == null) {
            throw new InvalidOperation(0, "No operation given (call " + logid + ")");
        }
        return switch (op) {
            case ADD -> work.getNum1() + work.getNum2();
            case SUBTRACT -> work.getNum1() - work.getNum2();
            case MULTIPLY -> work.getNum1() * work.getNum2();
            case DIVIDE -> {
                if (work.getNum2() == 0) {
                    throw new InvalidOperation(op.getValue(), "Cannot divide by 0");
                }
                yield work.getNum1() / work.getNum2();
            }
        };
    }

    @Override
    public long calculations() {
        return calculations.get();
    }

    @Override
    public void note(String text) {
        Log.LOG.info("note: {}", text);
    }
}
