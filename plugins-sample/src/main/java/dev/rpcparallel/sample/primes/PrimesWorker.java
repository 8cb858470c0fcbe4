package dev.rpcparallel.sample.primes;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;

/**
 * The {@code primes} worker: counts the primes in a range with {@link SegmentedSieve}. It keeps
 * no state; concurrent calls each use their own thread and memory.
 */
@RpcParallelWorker("primes")
public final class PrimesWorker implements WorkerPlugin<Void, Void, Void, Void> {

    @Override
    public WorkerType<Void, Void> type() {
        return Primes.TYPE;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions.rpc(Primes.COUNT, (call, range) -> SegmentedSieve.countPrimes(range.from(), range.to()));
    }
}
