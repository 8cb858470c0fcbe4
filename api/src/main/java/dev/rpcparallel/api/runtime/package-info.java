/**
 * Internal: the bridge between {@link dev.rpcparallel.api.Parallel} and the runtime that
 * implements it (the launcher module). Applications and plugins never name it; it may change in
 * any release.
 */
package dev.rpcparallel.api.runtime;
