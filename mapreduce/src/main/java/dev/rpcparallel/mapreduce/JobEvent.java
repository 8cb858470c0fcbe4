package dev.rpcparallel.mapreduce;

import dev.rpcparallel.api.Connection;

/** What a job's thread waits for: a call's result or a replacement worker's start. */
sealed interface JobEvent {

    /** An input, with the number of times it has been sent to a worker. */
    record Pending<I>(long index, I input, int attempts) {}

    /** A call ended on {@code slot}: with {@code value}, or with {@code failure} if not null. */
    record Completion<I, O>(WorkerSlot slot, Pending<I> pending, O value, Throwable failure) implements JobEvent {}

    /** A replacement for worker {@code index} started ({@code connection}) or could not ({@code failure}). */
    record Replacement(int index, Connection connection, Throwable failure) implements JobEvent {}
}
