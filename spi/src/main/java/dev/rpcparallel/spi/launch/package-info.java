/**
 * How a worker process is started: on this host, under a command prefix, on another host over
 * ssh, as a job of a cluster engine. A {@link dev.rpcparallel.spi.launch.WorkerLauncher} takes a
 * {@link dev.rpcparallel.spi.launch.LaunchSpec} (what to run) and a target URI (where) and returns
 * a {@link dev.rpcparallel.spi.launch.LaunchedProcess}; {@link dev.rpcparallel.spi.launch.WorkerLaunchers}
 * finds the launcher for a URI's scheme with {@link java.util.ServiceLoader}.
 */
package dev.rpcparallel.spi.launch;
