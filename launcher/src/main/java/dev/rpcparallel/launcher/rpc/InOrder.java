package dev.rpcparallel.launcher.rpc;

import java.util.ArrayDeque;

/**
 * Runs tasks one at a time, in the order given, on the threads that give them: a task given
 * while another thread runs one waits in a queue, and that thread runs it next. For the callbacks
 * of a direct pipe, which must stay in order and never overlap even when one of them blocks and
 * hands the connection's reading over to another thread ({@link ReadingThreads}). Costs one
 * uncontended lock per task.
 */
final class InOrder {
    private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    /** Guarded by {@link #backlog}: a thread is running tasks. */
    private boolean running;

    /** Runs {@code task} now, or, while another thread runs tasks here, after them. */
    void run(Runnable task) {
        synchronized (backlog) {
            if (running) {
                backlog.add(task);
                return;
            }
            running = true;
        }
        Runnable next = task;
        try {
            while (next != null) {
                next.run();
                synchronized (backlog) {
                    next = backlog.poll();
                    if (next == null) {
                        running = false;
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            synchronized (backlog) {
                running = false;
            }
            throw e;
        }
    }
}
