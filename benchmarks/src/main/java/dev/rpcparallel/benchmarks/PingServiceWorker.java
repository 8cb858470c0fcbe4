package dev.rpcparallel.benchmarks;

import dev.rpcparallel.benchmarks.thrift.Ping;
import dev.rpcparallel.thrift.ThriftServiceWorker;
import dev.rpcparallel.thrift.ThriftServices;
import dev.rpcparallel.thrift.ThriftWorkerType;

/**
 * The {@code bench-ping} worker type: the raw Thrift baseline's own {@code Ping} service served
 * as a Thrift service worker type, so that the same generated interface is measured on
 * rpc-parallel and on plain Thrift.
 */
public final class PingServiceWorker extends ThriftServiceWorker<Ping.Iface> {
    static final ThriftWorkerType<Ping.Iface> TYPE =
            ThriftServices.workerType("bench-ping", Ping.Iface.class, Ping.Processor::new);

    public PingServiceWorker() {
        super(TYPE, () -> payload -> payload);
    }
}
