package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.PipeFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.PipeImplementation;
import dev.rpcparallel.spi.PipeWriter;

/** A pipe bound to its implementation: it produces elements, each sent as credit allows, then the end. */
final class PipeMethod<A, E> extends ServerMethod.Streaming {
    private final PipeFunction<A, E> function;
    private final PipeImplementation<Object, Object, A, E> implementation;
    private final Contexts contexts;

    PipeMethod(PipeFunction<A, E> function, PipeImplementation<Object, Object, A, E> implementation,
            Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
    }

    @Override
    public void serve(byte[] arg, Object connectionState, StreamCall call) throws Exception {
        A decoded = Payloads.decode(function.argCodec(), arg, "the argument", function.name(), null);
        implementation.produce(contexts.context(connectionState), decoded,
                new Writer<>(call, function.elementCodec(), function.name()));
        call.end();
    }

    /** A stream's writer: each element waits for credit. */
    static class Writer<E> implements PipeWriter<E> {
        final StreamCall call;
        private final Codec<E> codec;
        private final String functionName;

        Writer(StreamCall call, Codec<E> codec, String functionName) {
            this.call = call;
            this.codec = codec;
            this.functionName = functionName;
        }

        @Override
        public void write(E element) {
            call.element(Payloads.encode(codec, element, "an element", functionName));
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }
    }
}
