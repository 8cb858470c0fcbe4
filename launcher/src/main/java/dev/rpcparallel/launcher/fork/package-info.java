/**
 * Starting worker JVMs on this host: the {@link dev.rpcparallel.launcher.fork.WorkerCommand} (a
 * value: java, JVM options, class path, main class, marker, environment, directory), the
 * {@link dev.rpcparallel.launcher.fork.WorkerProcess} that starts one and holds it, the
 * {@link dev.rpcparallel.launcher.fork.WorkerBootstrap} sent on its stdin (the settings in one
 * piece, {@link dev.rpcparallel.launcher.fork.SettingsCodec}), class data sharing, output pumps,
 * exit statuses, argfiles and inherited JVM options. Knows no RPC class.
 */
package dev.rpcparallel.launcher.fork;
