package dev.rpcparallel.thrift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.Parallel;
import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.thrift.testing.Busy;
import dev.rpcparallel.thrift.testing.Item;
import dev.rpcparallel.thrift.testing.Refused;
import dev.rpcparallel.thrift.testing.Store;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test service served by a real worker process and called through its generated interfaces
 * on one connection, shared by the tests (each uses its own data).
 */
class ThriftServicesIT {
    private static final int THREADS = 16;
    private static final long TIMEOUT_SECONDS = 60;

    private static WorkerRef worker;
    private static Connection connection;
    private static Store.Iface store;

    @BeforeAll
    static void spawn() {
        worker = Parallel.spawn(StoreWorker.TYPE.type(), null, SpawnOptions.builder().name("thrift-services-it").build());
        connection = Parallel.connect(worker);
        store = ThriftServices.client(connection, Store.Iface.class);
    }

    @AfterAll
    static void shutDown() {
        if (connection != null) {
            connection.close();
        }
        Parallel.shutdownWorkers();
    }

    @Test
    void sixteenThreadsCallThroughOneConnectionAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<Item>>> echoed = new ArrayList<>();
            List<Future<Integer>> met = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                // meet(16) returns only when all 16 calls are in the worker at the same time: a
                // client with one call in flight per connection would time out here.
                met.add(threads.submit(() -> store.meet(THREADS)));
                echoed.add(threads.submit(() -> {
                    List<Item> answers = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        answers.add(store.echo(item(thread, i)));
                    }
                    return answers;
                }));
            }
            List<Integer> arrivals = new ArrayList<>();
            for (Future<Integer> arrival : met) {
                arrivals.add(arrival.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            assertThat(arrivals).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, THREADS).boxed().toList());
            for (int t = 0; t < THREADS; t++) {
                List<Item> expected = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    expected.add(item(t, i));
                }
                assertThat(echoed.get(t).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Item item(int thread, int i) {
        Item item = new Item("item-" + thread + "-" + i, thread * 1000L + i);
        if (i % 10 == 0) {
            item.setPayload(ByteBuffer.wrap(new byte[] {(byte) thread, (byte) i}));
        }
        return item;
    }

    @Test
    void aDeclaredExceptionArrivesAsItself() throws Exception {
        List<Item> items = List.of(new Item("a", 30), new Item("b", 20));

        assertThat(store.total(items, 100)).isEqualTo(50L);
        assertThatThrownBy(() -> store.total(items, 40))
                .isInstanceOf(Refused.class)
                .satisfies(e -> assertThat(((Refused) e).getWhy()).isEqualTo("total 50 is over the limit 40"));
        assertThatThrownBy(() -> store.total(List.of(new Item("huge", StoreHandler.BUSY_ABOVE + 1)), Long.MAX_VALUE))
                .isInstanceOf(Busy.class)
                .satisfies(e -> assertThat(((Busy) e).getRetryMillis()).isEqualTo(250));
    }

    @Test
    void anUndeclaredExceptionArrivesAsARemoteException() {
        assertThatThrownBy(() -> store.fail("no such shelf"))
                .isInstanceOf(RemoteException.class)
                .hasMessage("worker 'thrift-services-it', function 'fail': java.lang.IllegalStateException: no such shelf")
                .satisfies(e -> assertThat(((RemoteException) e).remoteStackTrace()).contains("StoreHandler.fail"));
        assertThat(connection.isOpen()).as("the connection still serves").isTrue();
    }

    @Test
    void aOnewayCallRunsWithoutAnAnswer() throws Exception {
        store.remember("oneway-1");

        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> store.remembered().contains("oneway-1"));
    }

    @Test
    void theFutureInterfaceCompletesWithTheResultOrTheDeclaredException() throws Exception {
        Store.FutureIface futures = ThriftServices.futureClient(connection, Store.FutureIface.class);

        CompletableFuture<Item> echo = futures.echo(new Item("future", 7));
        CompletableFuture<Long> refused = futures.total(List.of(new Item("c", 5)), 1);
        assertThat(echo.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Item("future", 7));
        assertThatThrownBy(() -> refused.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(Refused.class);
        assertThat(futures.serviceName().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("store");
        assertThat(futures.remember("future-oneway")).succeedsWithin(Duration.ofSeconds(TIMEOUT_SECONDS));
    }

    @Test
    void aVoidMethodIsCalledLikeTheOthers() throws Exception {
        assertThat(store.serviceName()).isEqualTo("store");
        store.clear();
        assertThat(store.toString()).isEqualTo("Store client on " + worker);
    }

    @Test
    void theWrongGeneratedInterfaceIsRefusedWithTheRightOne() {
        assertThatThrownBy(() -> ThriftServices.client(connection, Store.FutureIface.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(for futures, use ThriftServices.futureClient with Calculator.FutureIface.class)");
    }
}
