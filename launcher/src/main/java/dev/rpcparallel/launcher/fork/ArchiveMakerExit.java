package dev.rpcparallel.launcher.fork;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What runs when a CDS archive maker's process has exited ({@link StaticArchiveMaking#finish}):
 * on a thread of its own once it exits, or from a shutdown hook of this JVM for a maker that
 * exits while its master does (within a few seconds); once either way.
 */
final class ArchiveMakerExit {
    private static final List<Runnable> AT_SHUTDOWN = new ArrayList<>();
    private static boolean shutdownHookInstalled;

    private ArchiveMakerExit() {}

    /**
     * Runs {@code action} once the process has exited; also from a shutdown hook of this JVM,
     * for a maker that exits while its master does (within a few seconds).
     */
    static void whenExited(Process process, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            // Synchronized: the shutdown hook must not return while the other caller is still at it.
            synchronized (done) {
                if (!done.get()) {
                    done.set(true);
                    action.run();
                }
            }
        };
        Runnable atShutdown = () -> {
            try {
                if (process.waitFor(5, TimeUnit.SECONDS)) {
                    once.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        synchronized (AT_SHUTDOWN) {
            if (!shutdownHookInstalled) {
                shutdownHookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    List<Runnable> pending;
                    synchronized (AT_SHUTDOWN) {
                        pending = List.copyOf(AT_SHUTDOWN);
                    }
                    pending.forEach(Runnable::run);
                }, "rpc-parallel-cds-archive"));
            }
            AT_SHUTDOWN.add(atShutdown);
        }
        // A thread of its own: the action may run a CDS dump for seconds, not to be done on a shared pool.
        process.onExit().thenRunAsync(() -> {
            once.run();
            synchronized (AT_SHUTDOWN) {
                AT_SHUTDOWN.remove(atShutdown);
            }
        }, task -> {
            Thread thread = new Thread(task, "rpc-parallel-cds-archive");
            thread.setDaemon(true);
            thread.start();
        });
    }

}
