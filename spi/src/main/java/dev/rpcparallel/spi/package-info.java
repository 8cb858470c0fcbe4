/**
 * The plugin SPI of rpc-parallel, what a worker plugin implements:
 * {@link dev.rpcparallel.spi.WorkerPlugin} (found with {@code ServiceLoader}, registered with
 * {@link dev.rpcparallel.spi.RpcParallelWorker}), its {@link dev.rpcparallel.spi.FunctionTable}
 * of implementations, the writers of streams, {@link dev.rpcparallel.spi.CallContext}, and
 * {@link dev.rpcparallel.spi.MasterApp} for the CLI. A plugin compiles against this module and
 * {@code rpc-parallel-api} only; neither brings a library along.
 *
 * <p>Every public type says what it promises with
 * {@link dev.rpcparallel.api.annotation.API @API}.
 */
package dev.rpcparallel.spi;
