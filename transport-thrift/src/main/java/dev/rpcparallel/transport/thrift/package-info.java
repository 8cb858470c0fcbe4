/**
 * The {@code thrift} transport of rpc-parallel: {@link dev.rpcparallel.transport.thrift.ThriftTransport}.
 * The envelope it carries frames in is the {@code WireFrame} struct of {@code
 * src/main/thrift/rpc_parallel.thrift} in Thrift's compact protocol, written and read by hand
 * ({@code WireFrames}): the transport needs no libthrift at run time. The tests compare it
 * byte for byte with the code libthrift generates from that file.
 */
package dev.rpcparallel.transport.thrift;
