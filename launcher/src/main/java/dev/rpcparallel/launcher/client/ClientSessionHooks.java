package dev.rpcparallel.launcher.client;

import dev.rpcparallel.api.WorkerRef;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The small callbacks a {@link ClientSession} hands to its parts (errors, answer receiver, call
 * futures), as named classes rather than lambdas: a lambda is linked at its first use by the
 * JDK's lambda factory (a class spun, or found in the class-data archive, after an ASM class
 * writer and method-handle resolution either way), which a worker paid for each one on its link
 * to its master before its first answer. Each is immutable and as thread-safe as what it calls.
 */
final class ClientSessionHooks {
    /** A loss with nothing more to say about it than its cause. */
    static final Supplier<Optional<String>> NO_EXPLANATION = new NoExplanation();

    private ClientSessionHooks() {}

    /** The session's worker, read at each use (it is replaced when a deferred link opens). */
    static final class Worker implements Supplier<WorkerRef> {
        private final ClientSession session;

        Worker(ClientSession session) {
            this.session = session;
        }

        @Override
        public WorkerRef get() {
            return session.worker();
        }
    }

    /** Whether the session is open (the answer receiver asks only once it is: then, whether it has not closed). */
    static final class Open implements BooleanSupplier {
        private final ClientSession session;

        Open(ClientSession session) {
            this.session = session;
        }

        @Override
        public boolean getAsBoolean() {
            return session.isOpen();
        }
    }

    /** Closes the session for a reason (a protocol error in what arrived). */
    static final class Abort implements Consumer<String> {
        private final ClientSession session;

        Abort(ClientSession session) {
            this.session = session;
        }

        @Override
        public void accept(String reason) {
            session.abort(reason);
        }
    }

    /** Tells the worker that nobody waits for call {@code callId} any more. */
    static final class Abandon implements Runnable {
        private final ClientSession session;
        private final long callId;

        Abandon(ClientSession session, long callId) {
            this.session = session;
            this.callId = callId;
        }

        @Override
        public void run() {
            session.abandon(callId);
        }
    }

    private static final class NoExplanation implements Supplier<Optional<String>> {
        @Override
        public Optional<String> get() {
            return Optional.empty();
        }
    }
}
