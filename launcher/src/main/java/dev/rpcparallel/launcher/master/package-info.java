/**
 * The master side of a runtime ({@link dev.rpcparallel.launcher.master.Master}): spawning and
 * waiting for registration, the registration desk its workers report to, the spawned workers
 * and their failure callbacks, workers served in-process, and the shutdown of them all.
 */
package dev.rpcparallel.launcher.master;
