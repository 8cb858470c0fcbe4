package dev.rpcparallel.sample.calculator;

import dev.rpcparallel.sample.calculator.thrift.Calculator;
import dev.rpcparallel.thrift.ThriftServices;
import dev.rpcparallel.thrift.ThriftWorkerType;

/**
 * The {@code calculator} worker type: the Thrift service {@code Calculator} of
 * {@code src/main/thrift/calculator.thrift}, one function per method of the service. The worker
 * serves {@link CalculatorHandler}; a master calls it through {@code Calculator.Iface} (see
 * {@link CalculatorApp}).
 */
public final class CalculatorService {
    private CalculatorService() {}

    public static final ThriftWorkerType<Calculator.Iface> TYPE =
            ThriftServices.workerType("calculator", Calculator.Iface.class, Calculator.Processor::new);
}
