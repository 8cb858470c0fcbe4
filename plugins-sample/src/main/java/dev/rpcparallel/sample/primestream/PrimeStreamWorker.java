package dev.rpcparallel.sample.primestream;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.sample.primestream.PrimeStream.Status;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/** The {@code primestream} worker type: see {@link PrimeStream}. */
@RpcParallelWorker("primestream")
public final class PrimeStreamWorker implements WorkerPlugin<Void, PrimeStreamWorker.State, Void, Void> {

    /** Shared by every connection to one worker: the status of the most recent stream. */
    public static final class State {
        final AtomicReference<Status> last = new AtomicReference<>(new Status(0, false, false));
    }

    @Override
    public WorkerType<Void, Void> type() {
        return PrimeStream.TYPE;
    }

    @Override
    public State initWorkerState(Void initArg) {
        return new State();
    }

    @Override
    public void defineFunctions(FunctionTable<State, Void> functions) {
        functions
                .pipe(PrimeStream.PRIMES, (call, range, out) -> {
                    PrimeGenerator.check(range.from(), range.to());
                    AtomicReference<Status> status = call.workerState().last;
                    status.set(new Status(0, false, false));
                    long[] produced = {0};
                    try {
                        PrimeGenerator.forEachPrime(range.from(), range.to(), prime -> {
                            // write waits while the consumer is a full window behind: the backpressure
                            out.write(prime);
                            status.set(new Status(++produced[0], false, false));
                        });
                    } catch (CancellationException e) {
                        status.set(new Status(produced[0], true, false));
                        throw e;
                    }
                    status.set(new Status(produced[0], false, true));
                })
                .rpc(PrimeStream.STATUS, (call, none) -> call.workerState().last.get());
    }
}
