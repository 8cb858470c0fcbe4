package dev.rpcparallel.launcher.testplugins;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;

/** The handles of the test worker type {@code kinds}: one or more functions of every kind. */
public final class Kinds {
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("kinds", Codecs.none(), Codecs.none());

    /** The length of the bytes given: a large argument. */
    public static final RpcFunction<byte[], Long> LENGTH = RpcFunction.of("length", Codecs.bytes(), Codecs.int64());
    /** Answers its argument: a small call. */
    public static final RpcFunction<String, String> PING = RpcFunction.of("ping", Codecs.string(), Codecs.string());

    private Kinds() {}
}
