/**
 * The master's warm pool: idle, ready worker JVMs handed over to spawns, and the links parked to
 * them. The master meets it at two points: a spawn's handover and a connect's parked link.
 */
package dev.rpcparallel.launcher.warm;
