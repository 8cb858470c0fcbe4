/**
 * The public API of rpc-parallel, what a master and a worker's functions are written against:
 * {@link dev.rpcparallel.api.Parallel} (spawn, connect, shut down), the function handles
 * ({@link dev.rpcparallel.api.RpcFunction} and the other kinds), {@link dev.rpcparallel.api.Codecs},
 * the options and settings, and the exceptions.
 *
 * <p><b>Public and internal.</b> Every public type says what it promises with
 * {@link dev.rpcparallel.api.annotation.API @API}: {@code STABLE} (the contract),
 * {@code EXPERIMENTAL} (may change in a minor release) or {@code INTERNAL}. Packages named
 * {@code internal} ({@code dev.rpcparallel.api.internal.codec}, the codec engine behind
 * {@code Codecs}) and {@code dev.rpcparallel.api.runtime} (the seam to the runtime) are internal:
 * they are public only so that rpc-parallel's own classes can reach them, are left out of the
 * javadoc, and may change in any release. Applications and plugins never import them.
 */
package dev.rpcparallel.api;
