package dev.rpcparallel.mapreduce;

/**
 * A result of {@link MapReduce#mapUnordered} with the position of its input: the first input
 * has index 0.
 *
 * @param index the position of the input in the iteration order of the inputs
 * @param value the worker's result for that input; {@code null} only if the function's result
 *     codec decodes to {@code null} (as {@code Codecs.none()} does)
 */
public record Indexed<T>(long index, T value) {}
