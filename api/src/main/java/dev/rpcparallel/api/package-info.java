/**
 * The public API of rpc-parallel, what a master and a worker's functions are written against:
 * {@link dev.rpcparallel.api.Parallel} (spawn, connect, shut down), the function handles
 * ({@link dev.rpcparallel.api.RpcFunction} and the other kinds), {@link dev.rpcparallel.api.Codecs},
 * the options and settings, and the exceptions. Its classes that are not public, the codec engine
 * behind {@code Codecs} among them, are internal and may change in any release.
 */
package dev.rpcparallel.api;
