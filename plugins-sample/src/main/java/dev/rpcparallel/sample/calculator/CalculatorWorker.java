package dev.rpcparallel.sample.calculator;

import dev.rpcparallel.sample.calculator.thrift.Calculator;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.thrift.ThriftServiceWorker;

/** The plugin of the {@code calculator} worker type: every worker serves one {@link CalculatorHandler}. */
@RpcParallelWorker("calculator")
public final class CalculatorWorker extends ThriftServiceWorker<Calculator.Iface> {
    public CalculatorWorker() {
        super(CalculatorService.TYPE, CalculatorHandler::new);
    }
}
