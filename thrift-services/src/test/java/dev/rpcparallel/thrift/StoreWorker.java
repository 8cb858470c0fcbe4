package dev.rpcparallel.thrift;

import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.thrift.testing.Store;

/** The test service as a worker type, as a plugin declares one. */
@RpcParallelWorker("store")
public final class StoreWorker extends ThriftServiceWorker<Store.Iface> {
    static final ThriftWorkerType<Store.Iface> TYPE =
            ThriftServices.workerType("store", Store.Iface.class, Store.Processor::new);

    public StoreWorker() {
        super(TYPE, StoreHandler::new);
    }
}
