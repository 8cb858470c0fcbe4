package dev.rpcparallel.launcher.server;

import dev.rpcparallel.spi.transport.Frame;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The small callbacks a {@link ServerSession} hands to its parts (call slots, frame assembler,
 * handshake, streams, dispatch) and the call path passes along, as named classes rather than
 * lambdas: a lambda is linked at its first use by the JDK's lambda factory (a class spun, or
 * found in the class-data archive, after an ASM class writer and method-handle resolution either
 * way), which every worker paid for each one on its way to its first answer. A named class is
 * loaded like any other, from the archive. Each is immutable and as thread-safe as what it calls.
 */
final class SessionHooks {
    private SessionHooks() {}

    /** The endpoint's name, read at each use (a warm worker's name changes when it is assigned). */
    static final class EndpointName implements Supplier<String> {
        private final Endpoint endpoint;

        EndpointName(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public String get() {
            return endpoint.name();
        }
    }

    /** Whether the session is still open. */
    static final class Open implements BooleanSupplier {
        private final ServerSession session;

        Open(ServerSession session) {
            this.session = session;
        }

        @Override
        public boolean getAsBoolean() {
            return session.isOpen();
        }
    }

    /** Sends a frame of the session's streams. */
    static final class Send implements Consumer<Frame> {
        private final ServerSession session;

        Send(ServerSession session) {
            this.session = session;
        }

        @Override
        public void accept(Frame frame) {
            session.send(frame);
        }
    }

    /** Runs a task on the server's executor; the session closes if the server cannot take it. */
    static final class Submit implements Consumer<Runnable> {
        private final ServerSession session;

        Submit(ServerSession session) {
            this.session = session;
        }

        @Override
        public void accept(Runnable task) {
            session.submit(task);
        }
    }

    /** The connection's state object, as its connection-state init left it. */
    static final class ConnectionState implements Supplier<Object> {
        private final ServerSession session;

        ConnectionState(ServerSession session) {
            this.session = session;
        }

        @Override
        public Object get() {
            return session.connectionState();
        }
    }

    /** A fixed text: a method's label, made once when the method is bound. */
    static final class Text implements Supplier<String> {
        private final String text;

        Text(String text) {
            this.text = text;
        }

        @Override
        public String get() {
            return text;
        }
    }

    /** A built-in function's description, made when it is asked for (only errors and slow calls ask). */
    static final class BuiltinName implements Supplier<String> {
        private final Endpoint endpoint;
        private final int functionId;

        BuiltinName(Endpoint endpoint, int functionId) {
            this.endpoint = endpoint;
            this.functionId = functionId;
        }

        @Override
        public String get() {
            return endpoint.describeFunction(functionId);
        }
    }

    /** Refuses the session if it has not authenticated by its handshake's deadline. */
    static final class HandshakeDeadline implements Runnable {
        private final ServerSession session;

        HandshakeDeadline(ServerSession session) {
            this.session = session;
        }

        @Override
        public void run() {
            session.handshakeTimedOut();
        }
    }

    /** A call's description for errors and slow-call reports: its function's, and who serves it. */
    static final class CallName implements Supplier<String> {
        private final Supplier<String> function;
        private final String serverName;

        CallName(Supplier<String> function, String serverName) {
            this.function = function;
            this.serverName = serverName;
        }

        @Override
        public String get() {
            return function.get() + " of " + serverName;
        }
    }

    /** A built-in function the endpoint serves (registration, heartbeats), as a unary method. */
    static final class BuiltinMethod extends ServerMethod.Unary {
        private final Endpoint endpoint;
        private final int functionId;

        BuiltinMethod(Endpoint endpoint, int functionId) {
            super(endpoint.describeFunction(functionId));
            this.endpoint = endpoint;
            this.functionId = functionId;
        }

        @Override
        public byte[] call(byte[] arg, Object connectionState) throws Exception {
            return endpoint.call(functionId, arg, connectionState);
        }
    }
}
