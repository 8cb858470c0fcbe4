/**
 * The {@code thrift} transport of rpc-parallel: {@link dev.rpcparallel.transport.thrift.ThriftTransport}.
 * The envelope it carries frames in is generated from {@code src/main/thrift/rpc_parallel.thrift}
 * into {@code dev.rpcparallel.transport.thrift.wire}.
 */
package dev.rpcparallel.transport.thrift;
