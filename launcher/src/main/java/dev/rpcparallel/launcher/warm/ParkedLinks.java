package dev.rpcparallel.launcher.warm;

import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.context.RuntimeContext;
import dev.rpcparallel.launcher.client.ClientConnection;
import dev.rpcparallel.launcher.client.FunctionIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;

/**
 * The master's links to its pooled workers, opened and authenticated while a worker is idle, so
 * that the first connect after its handover only runs the connection-state init on it. Only an
 * optimisation: without one, that connect opens a link as any other. Thread-safe.
 */
final class ParkedLinks {
    private final RuntimeContext context;
    /** Parked links of handed-over workers, by worker id, until their first connect. */
    private final Map<String, ParkedLink> handedOver = new ConcurrentHashMap<>();
    private final AtomicInteger adopted = new AtomicInteger();
    /** Told, by worker id, when an adopted link delivered its first answer. */
    private final Consumer<String> firstAnswer;

    /** @param firstAnswer told, with the worker's id, when an adopted link delivered its first answer */
    ParkedLinks(RuntimeContext context, Consumer<String> firstAnswer) {
        this.context = context;
        this.firstAnswer = firstAnswer;
    }

    /** Opens a link to an idle worker that registered at {@code pooled}'s address, and parks it with it. */
    void open(WarmWorkerProcess worker, WorkerRef pooled) {
        if (pooled.address() == null || pooled.address().isEmpty()) {
            return;
        }
        try {
            worker.attachLink(ParkedLink.open(context.session(), pooled));
        } catch (RuntimeException e) {
            LogManager.getLogger(ParkedLinks.class).debug("No parked link to warm worker '{}': {}", pooled.name(),
                    e.toString());
        }
    }

    /** Keeps the link of a worker just handed over as {@code workerId}, until its first connect or its exit. */
    void handedOver(WarmWorkerProcess worker, String workerId) {
        worker.takeLink().ifPresent(link -> {
            handedOver.put(workerId, link);
            worker.process().onExit().thenRun(() -> close(workerId));
        });
    }

    /** The parked link to {@code worker}, adopted for this connection, if there is one and it is still open. */
    Optional<ClientConnection> adopt(WorkerRef worker, byte[] connectionArg, FunctionIds functionIds) {
        ParkedLink parked = handedOver.remove(worker.id());
        ClientConnection connection = parked == null ? null : parked.adopt(worker, connectionArg, functionIds);
        if (connection != null) {
            adopted.incrementAndGet();
            String workerId = worker.id();
            connection.afterFirstAnswer(() -> firstAnswer.accept(workerId));
        }
        return Optional.ofNullable(connection);
    }

    void closeAll() {
        for (String workerId : List.copyOf(handedOver.keySet())) {
            close(workerId);
        }
    }

    private void close(String workerId) {
        ParkedLink parked = handedOver.remove(workerId);
        if (parked != null) {
            parked.close();
        }
    }

    int adopted() {
        return adopted.get();
    }
}
