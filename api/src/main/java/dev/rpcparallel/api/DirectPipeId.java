package dev.rpcparallel.api;

import dev.rpcparallel.api.annotation.API;

/**
 * Identifies a direct pipe opened with {@link Connection#directPipe}, to
 * {@linkplain Connection#abort abort} it.
 *
 * @param value unique among the direct pipes of one connection
 */
@API(status = API.Status.STABLE, since = "0.1")
public record DirectPipeId(long value) {}
