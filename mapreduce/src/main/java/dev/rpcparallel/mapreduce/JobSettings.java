package dev.rpcparallel.mapreduce;

import dev.rpcparallel.api.RpcFunction;
import java.util.function.Consumer;

/**
 * What a {@link MapReduce}'s operations run with, besides the pool: the map function, the batch
 * size, the retry policy and the progress callback.
 *
 * @param jobName the job's name in messages: the worker type's and the function's
 * @param batch how many inputs each worker has in flight at most
 * @param retry whether the inputs of a lost worker go to the others and the worker is replaced
 * @param maxAttempts with retries, how many times one input may be sent
 * @param onProgress called after every result, or {@code null}
 */
record JobSettings<I, O>(String jobName, RpcFunction<I, O> function, int batch, boolean retry, int maxAttempts,
        Consumer<? super Progress> onProgress) {

    /** The batch size and the retry policy, for a job's description. */
    String scheduling() {
        return "batch " + batch + (retry ? ", retry, at most " + maxAttempts + " attempts" : "");
    }
}
