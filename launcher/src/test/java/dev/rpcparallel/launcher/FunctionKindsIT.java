package dev.rpcparallel.launcher;

import dev.rpcparallel.launcher.server.WorkerFailures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.ConnectionException;
import dev.rpcparallel.api.DirectPipeCallback;
import dev.rpcparallel.api.DirectPipeId;
import dev.rpcparallel.api.LogEvent;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.RemoteState;
import dev.rpcparallel.api.RemoteStream;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.server.WorkerFailures;
import dev.rpcparallel.launcher.testplugins.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every function kind and built-in, against real worker JVMs; two workers are shared. */
class FunctionKindsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static WorkerRef shared;
    private static WorkerRef other;

    @BeforeAll
    static void spawnWorkers() {
        shared = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("kinds-shared").build());
        other = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("kinds-other").build());
    }

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    /**
     * The build runs this class on each transport (see the pom: by default, and with
     * transport=thrift): the workers must be on the one chosen.
     */
    @Test
    void theWorkersListenOnTheTransportTheSettingsChoose() {
        String expected = System.getProperty("rpcparallel.test.expectedTransport", "unix");
        assertThat(Parallel.settings().transport())
                .isEqualTo(System.getProperty(RpcSettings.TRANSPORT_PROPERTY, RpcSettings.AUTOMATIC_TRANSPORT));
        assertThat(shared.address()).startsWith(expected + "://");
        assertThat(other.address()).startsWith(expected + "://");
    }

    // ---------------------------------------------------------------- pipe

    @Test
    void pipeAsIteratorAndStreamGivesEveryElementInOrder() {
        try (Connection connection = Parallel.connect(shared)) {
            List<Long> numbers = new ArrayList<>();
            try (RemoteStream<Long> pipe = connection.pipe(Kinds.NUMBERS, 1000L)) {
                pipe.forEach(numbers::add);
            }
            assertThat(numbers).containsExactlyElementsOf(LongStream.range(0, 1000).boxed().toList());
            try (var stream = connection.pipe(Kinds.NUMBERS, 10_000L).stream()) {
                assertThat(stream.mapToLong(Long::longValue).sum()).isEqualTo(49_995_000L);
            }
        }
    }

    @Test
    void pipeAsPublisherHonoursDemand() throws Exception {
        try (Connection connection = Parallel.connect(shared)) {
            List<Long> received = new CopyOnWriteArrayList<>();
            AtomicLong requested = new AtomicLong();
            List<String> violations = new CopyOnWriteArrayList<>();
            CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            connection.pipe(Kinds.NUMBERS, 500L).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscribed.complete(s);
                }

                @Override
                public void onNext(Long item) {
                    received.add(item);
                    if (received.size() > requested.get()) {
                        violations.add("element " + received.size() + " with " + requested.get() + " requested");
                    }
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }
            });
            Flow.Subscription subscription = subscribed.get(30, TimeUnit.SECONDS);
            // The worker sends a window ahead of demand: the elements are here, only demand holds them.
            requested.addAndGet(10);
            subscription.request(10);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 10);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 10);
            for (int i = 10; i < 500; i++) {
                requested.incrementAndGet();
                subscription.request(1);
            }
            done.get(30, TimeUnit.SECONDS);
            assertThat(violations).as("elements delivered beyond demand").isEmpty();
            assertThat(received).containsExactlyElementsOf(LongStream.range(0, 500).boxed().toList());
        }
    }

    @Test
    void producerErrorArrivesAfterEveryElementSentBeforeIt() {
        try (Connection connection = Parallel.connect(shared);
                RemoteStream<Long> pipe = connection.pipe(Kinds.FAIL_AFTER, 300L)) {
            Iterator<Long> elements = pipe.iterator();
            for (long i = 0; i < 300; i++) {
                assertThat(elements.next()).isEqualTo(i);
            }
            assertThatThrownBy(elements::hasNext)
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.workerName()).isEqualTo("kinds-shared");
                        assertThat(e.functionName()).isEqualTo("function 'failAfter'");
                        assertThat(e.remoteMessage()).isEqualTo("failed after 300 elements, on purpose");
                    });
        }
    }

    @Test
    void closingAPipeCancelsTheProducerWhichObservesIt() {
        try (Connection connection = Parallel.connect(shared)) {
            RemoteStream<Long> pipe = connection.pipe(Kinds.ENDLESS, null);
            Iterator<Long> elements = pipe.iterator();
            for (long i = 0; i < 1000; i++) {
                assertThat(elements.next()).isEqualTo(i);
            }
            pipe.close();
            assertThat(elements.hasNext()).isFalse();
            await().atMost(WAIT).until(() -> connection.call(Kinds.ENDLESS_CANCELLED, null));
            assertThat(connection.call(Kinds.PING, "still open")).isEqualTo("still open");
        }
    }

    @Test
    void aWorkerSubscribesToAnotherWorkersPipeGivenItsRef() {
        try (Connection connection = Parallel.connect(other)) {
            assertThat(connection.call(Kinds.SUM_NUMBERS_OF, shared)).isEqualTo(499_500L);
        }
    }

    // ---------------------------------------------------------------- direct pipe

    @Test
    void directPipeDeliversEveryElementThenTheEnd() throws Exception {
        try (Connection connection = Parallel.connect(shared)) {
            List<Long> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            connection.directPipe(Kinds.PUSH, 2000L, new DirectPipeCallback<Long>() {
                @Override
                public void onElement(Long element) {
                    received.add(element);
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            assertThat(closed.get(30, TimeUnit.SECONDS)).isNull();
            assertThat(received).containsExactlyElementsOf(LongStream.range(0, 2000).boxed().toList());
        }
    }

    @Test
    void abortingADirectPipeIsSeenByBothSides() throws Exception {
        try (Connection connection = Parallel.connect(shared)) {
            List<String> ticks = new CopyOnWriteArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            DirectPipeId id = connection.directPipe(Kinds.TICKS, "tick-", new DirectPipeCallback<String>() {
                @Override
                public void onElement(String element) {
                    ticks.add(element);
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            await().atMost(WAIT).until(() -> ticks.size() >= 3);
            connection.abort(id);
            assertThat(closed.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(CancellationException.class)
                    .hasMessageContaining("direct pipe 'ticks' of worker 'kinds-shared' was aborted by the caller");
            assertThat(ticks).startsWith("tick-1", "tick-2", "tick-3");
            await().atMost(WAIT).until(() -> connection.call(Kinds.TICKS_CLOSED, null));
        }
    }

    // ---------------------------------------------------------------- one-way, shared state

    @Test
    void oneWayRunsAndTwoConnectionsShareWorkerState() {
        try (Connection a = Parallel.connect(shared); Connection b = Parallel.connect(shared)) {
            a.oneWay(Kinds.NOTE, "from a");
            b.oneWay(Kinds.NOTE, "from b");
            await().atMost(WAIT).until(() -> a.call(Kinds.NOTES, null).containsAll(List.of("from a", "from b")));
            assertThat(b.call(Kinds.NOTES, null)).contains("from a", "from b");
        }
    }

    @Test
    void oneWayFailureIsReportedNotDropped() {
        List<String> reported = new CopyOnWriteArrayList<>();
        WorkerFailures.setReporter((what, failure) -> reported.add(what + ": " + failure.getMessage()));
        try {
            // Served in this JVM, so that the failure reporter is the one set here.
            WorkerRef served = Parallel.serve(Kinds.TYPE, null);
            try (Connection connection = Parallel.connect(served)) {
                connection.oneWay(Kinds.NOTE, "fail");
                await().atMost(WAIT).until(() -> !reported.isEmpty());
                assertThat(reported).singleElement().asString()
                        .contains("worker '" + served.name() + "', one-way function 'note'", "note refused, on purpose");
                assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
            }
        } finally {
            WorkerFailures.setReporter((what, failure) -> { });
        }
    }

    // ---------------------------------------------------------------- reverse pipe

    @Test
    void reversePipeSendsEveryUpdateAndGetsOneResult() {
        try (Connection connection = Parallel.connect(shared)) {
            Iterator<Long> updates = LongStream.rangeClosed(1, 10_000).boxed().iterator();
            assertThat(connection.reversePipe(Kinds.SUM, "sum", updates)).isEqualTo("sum: 50005000");
        }
    }

    @Test
    void reversePipeStopsSendingWhenTheWorkerAnswersEarly() {
        try (Connection connection = Parallel.connect(shared)) {
            AtomicLong pulled = new AtomicLong();
            Iterator<Long> endless = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Long next() {
                    return pulled.incrementAndGet();
                }
            };
            // Bounded: a sender that went on after the answer would wait for credit forever.
            String answer = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> connection.reversePipe(Kinds.SUM, "first", endless));
            assertThat(answer).isEqualTo("first: 1");
            assertThat(pulled.get()).as("updates taken from the iterator: at most a window ahead of the worker")
                    .isLessThanOrEqualTo(RemoteStream.WINDOW + 1L);
            assertThat(connection.call(Kinds.PING, "after")).isEqualTo("after");
        }
    }

    @Test
    void reversePipeTakesUpdatesFromAPublisher() throws Exception {
        try (Connection connection = Parallel.connect(shared)) {
            AtomicLong requested = new AtomicLong();
            Flow.Publisher<Long> oneToThousand = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
                private long next = 1;

                @Override
                public synchronized void request(long n) {
                    requested.addAndGet(n);
                    for (long i = 0; i < n && next <= 1000; i++) {
                        subscriber.onNext(next++);
                    }
                    if (next > 1000) {
                        next = Long.MAX_VALUE - 1;
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {}
            });
            assertThat(connection.reversePipeAsync(Kinds.SUM, "async", oneToThousand).get(30, TimeUnit.SECONDS))
                    .isEqualTo("async: 500500");
            // Updates are asked for a window at a time, not all at once (Long.MAX_VALUE).
            assertThat(requested.get()).isBetween(1000L, 1000L + 2 * RemoteStream.WINDOW);
        }
    }

    // ---------------------------------------------------------------- state

    @Test
    void stateGivesTheInitialStateThenTheUpdates() {
        try (Connection connection = Parallel.connect(shared);
                RemoteState<Long, Long> counter = connection.state(Kinds.COUNTER, 5L)) {
            long initial = counter.initialState();
            List<Long> updates = new ArrayList<>();
            counter.updates().forEach(updates::add);
            assertThat(updates).containsExactlyElementsOf(LongStream.rangeClosed(initial + 1, initial + 5).boxed().toList());
        }
    }

    // ---------------------------------------------------------------- built-ins

    @Test
    void logStreamGivesEachSubscriberWhatCameAfterItSubscribed() {
        try (Connection connection = Parallel.connect(shared);
                RemoteStream<LogEvent> first = connection.logs();
                RemoteStream<LogEvent> second = connection.logs()) {
            connection.call(Kinds.LOG, "one");
            Iterator<LogEvent> firstEvents = first.iterator();
            Iterator<LogEvent> secondEvents = second.iterator();
            assertThat(nextMessage(firstEvents)).isEqualTo("one");
            assertThat(nextMessage(secondEvents)).isEqualTo("one");
            try (RemoteStream<LogEvent> late = connection.logs()) {
                connection.call(Kinds.LOG, "two");
                LogEvent event = late.iterator().next();
                assertThat(event.message()).isEqualTo("two");
                assertThat(event.level()).isEqualTo("INFO");
                assertThat(event.logger()).endsWith("KindsWorker");
                assertThat(nextMessage(firstEvents)).isEqualTo("two");
            }
        }
    }

    private static String nextMessage(Iterator<LogEvent> events) {
        // Other tests' workers may log too (the log is the whole worker's): skip what is not ours.
        while (true) {
            LogEvent event = events.next();
            if (event.logger().endsWith("KindsWorker")) {
                return event.message();
            }
        }
    }

    @Test
    void closeServerRefusesNewConnectionsWhileOpenOnesKeepWorking() {
        WorkerRef closing = Parallel.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("kinds-closing").build());
        try (Connection open = Parallel.connect(closing)) {
            open.closeServer();
            assertThatThrownBy(() -> Parallel.connect(closing))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("Cannot connect to worker 'kinds-closing'");
            assertThat(open.call(Kinds.PING, "still served")).isEqualTo("still served");
            try (RemoteStream<Long> numbers = open.pipe(Kinds.NUMBERS, 10L)) {
                assertThat(numbers.stream().count()).isEqualTo(10);
            }
            open.shutdownWorker();
        }
    }

    @Test
    void tenServersServedInOneProcess() {
        List<WorkerRef> servers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            servers.add(Parallel.serve(Kinds.TYPE, null));
        }
        assertThat(servers.stream().map(WorkerRef::address).distinct()).hasSize(10);
        for (WorkerRef server : servers) {
            try (Connection connection = Parallel.connect(server)) {
                connection.oneWay(Kinds.NOTE, server.name());
                await().atMost(WAIT).until(() -> connection.call(Kinds.NOTES, null).equals(List.of(server.name())));
                try (RemoteStream<Long> numbers = connection.pipe(Kinds.NUMBERS, 100L)) {
                    assertThat(numbers.stream().count()).isEqualTo(100);
                }
            }
            Parallel.shutdown(server);
        }
    }

    @Test
    void streamFailsWithTheConnectionWhenItIsClosed() {
        Connection connection = Parallel.connect(shared);
        RemoteStream<Long> pipe = connection.pipe(Kinds.ENDLESS, null);
        Iterator<Long> elements = pipe.iterator();
        elements.next();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        connection.close();
        try {
            while (elements.hasNext()) {
                elements.next();
            }
        } catch (ConnectionException e) {
            failure.set(e);
        }
        assertThat(failure.get()).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("pipe 'endless' on worker 'kinds-shared'");
    }
}
