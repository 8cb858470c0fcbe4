package com.example.greeter;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;

public final class Greeter {
    public static final WorkerType<String, Void> TYPE = WorkerType.of("greeter", Codecs.string(), Codecs.none());
    public static final RpcFunction<String, String> GREET = RpcFunction.of("greet", Codecs.string(), Codecs.string());
    public static final RpcFunction<Void, Long> PID = RpcFunction.of("pid", Codecs.none(), Codecs.int64());

    private Greeter() {}
}
