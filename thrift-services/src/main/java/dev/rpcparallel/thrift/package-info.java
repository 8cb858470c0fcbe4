/**
 * Thrift services as worker types: a plugin serves the generated {@code Iface} of an IDL
 * {@code service} ({@link dev.rpcparallel.thrift.ThriftServiceWorker}), and a master calls it
 * through the same generated interface on a {@link dev.rpcparallel.api.Connection}
 * ({@link dev.rpcparallel.thrift.ThriftServices#client}), its calls multiplexed with every other
 * call on that connection.
 *
 * <p>Each method of the service is one function of the worker type, numbered by the method
 * names in ascending order; its argument is the method's generated {@code <method>_args} struct
 * and its result the {@code <method>_result} struct, both in Thrift's compact protocol;
 * {@code oneway} methods are one-way functions.
 */
package dev.rpcparallel.thrift;
