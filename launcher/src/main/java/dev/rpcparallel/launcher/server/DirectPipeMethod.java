package dev.rpcparallel.launcher.server;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.DirectPipeFunction;
import dev.rpcparallel.launcher.protocol.Payloads;
import dev.rpcparallel.spi.DirectPipeImplementation;
import dev.rpcparallel.spi.DirectPipeWriter;
import java.util.concurrent.CompletionStage;

/** A direct pipe bound to its implementation: it pushes elements without credit, open until either side closes it. */
final class DirectPipeMethod<A, E> extends ServerMethod.Streaming {
    private final DirectPipeFunction<A, E> function;
    private final DirectPipeImplementation<Object, Object, A, E> implementation;
    private final Contexts contexts;

    DirectPipeMethod(DirectPipeFunction<A, E> function, DirectPipeImplementation<Object, Object, A, E> implementation,
            Contexts contexts) {
        super("function '" + function.name() + "'");
        this.function = function;
        this.implementation = implementation;
        this.contexts = contexts;
    }

    @Override
    public void serve(byte[] arg, Object connectionState, StreamCall call) throws Exception {
        A decoded = Payloads.decode(function.argCodec(), arg, "the argument", function.name(), null);
        implementation.start(contexts.context(connectionState), decoded,
                new Writer<>(call, function.elementCodec(), function.name()));
    }

    private static final class Writer<E> implements DirectPipeWriter<E> {
        private final StreamCall call;
        private final Codec<E> codec;
        private final String functionName;

        Writer(StreamCall call, Codec<E> codec, String functionName) {
            this.call = call;
            this.codec = codec;
            this.functionName = functionName;
        }

        @Override
        public boolean write(E element) {
            return call.push(Payloads.encode(codec, element, "an element", functionName));
        }

        @Override
        public void close() {
            call.end();
        }

        @Override
        public boolean isClosed() {
            return call.isCancelled();
        }

        @Override
        public CompletionStage<Void> whenClosed() {
            return call.whenClosed();
        }
    }
}
