package dev.rpcparallel.api;

/**
 * Identifies a direct pipe opened with {@link Connection#directPipe}, to
 * {@linkplain Connection#abort abort} it.
 *
 * @param value unique among the direct pipes of one connection
 */
public record DirectPipeId(long value) {}
