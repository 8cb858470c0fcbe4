package dev.rpcparallel.thrift;

import dev.rpcparallel.thrift.testing.Busy;
import dev.rpcparallel.thrift.testing.Item;
import dev.rpcparallel.thrift.testing.Refused;
import dev.rpcparallel.thrift.testing.Store;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The test service's handler: thread-safe, as every handler must be. */
public final class StoreHandler implements Store.Iface {
    static final long BUSY_ABOVE = 1_000_000;

    private final List<String> remembered = new CopyOnWriteArrayList<>();
    private final Map<Integer, CyclicBarrier> meetings = new ConcurrentHashMap<>();

    @Override
    public String serviceName() {
        return "store";
    }

    @Override
    public Item echo(Item item) {
        return item;
    }

    @Override
    public long total(List<Item> items, long limit) throws Refused, Busy {
        long total = items.stream().mapToLong(Item::getSize).sum();
        if (total > BUSY_ABOVE) {
            throw new Busy(250);
        }
        if (total > limit) {
            throw new Refused("total " + total + " is over the limit " + limit);
        }
        return total;
    }

    @Override
    public void fail(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public void remember(String text) {
        remembered.add(text);
    }

    @Override
    public List<String> remembered() {
        return List.copyOf(remembered);
    }

    @Override
    public void clear() {
        remembered.clear();
    }

    @Override
    public int meet(int parties) throws Refused {
        CyclicBarrier barrier = meetings.computeIfAbsent(parties, CyclicBarrier::new);
        try {
            return parties - barrier.await(30, TimeUnit.SECONDS);
        } catch (TimeoutException | BrokenBarrierException e) {
            throw new Refused("only " + barrier.getNumberWaiting() + " of " + parties + " calls met: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted while meeting");
        }
    }
}
