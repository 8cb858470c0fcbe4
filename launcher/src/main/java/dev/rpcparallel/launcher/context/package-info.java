/**
 * What every part of one runtime shares: its {@link dev.rpcparallel.launcher.context.RuntimeContext}
 * (settings, secret, transport, plugin registry, threads) and the lookup of a transport by name.
 * Depends on the registry only; the master, worker and warm-pool packages build on it.
 */
package dev.rpcparallel.launcher.context;
