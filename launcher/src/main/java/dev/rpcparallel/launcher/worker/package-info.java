/**
 * A spawned worker process: its main class and its lifecycle (watch the master, check the
 * plugin set, init the state, serve, register, exit), given the runtime's context.
 */
package dev.rpcparallel.launcher.worker;
