/**
 * TLS of an application whose connections may cross hosts: the key pair and self-signed
 * certificate that its master generates in memory ({@link dev.rpcparallel.launcher.tls.ApplicationKey}),
 * the TLS context that presents it and trusts only it ({@link dev.rpcparallel.launcher.tls.PinnedTlsContext}),
 * and the rule of which process uses it ({@link dev.rpcparallel.launcher.tls.ApplicationTls}).
 * The JDK alone: nothing here loads another library, and nothing is loaded on a process's start
 * path unless it speaks TLS.
 */
package dev.rpcparallel.launcher.tls;
