package dev.rpcparallel.launcher.fork;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies one output stream of a worker process to one of the master's, each line prefixed
 * {@code [worker NAME] }, and remembers the last lines for error messages (see {@link RecentLines}).
 */
final class OutputPump {
    private static final int REMEMBERED_LINES = 100;
    /** As much as the tail of an output file that error messages read ({@link WorkerProcess}). */
    private static final int REMEMBERED_CHARS = 16 * 1024;

    private final RecentLines lastLines = new RecentLines(REMEMBERED_LINES, REMEMBERED_CHARS);
    private final CountDownLatch finished = new CountDownLatch(1);

    private OutputPump() {}

    static OutputPump start(InputStream from, PrintStream to, String workerName, String streamName) {
        OutputPump pump = new OutputPump();
        String prefix = "[worker " + workerName + "] ";
        Thread thread = new Thread(() -> pump.copy(from, to, prefix), "rpc-parallel-" + streamName + "-" + workerName);
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    private void copy(InputStream from, PrintStream to, String prefix) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(from, UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lastLines.add(line);
                to.println(prefix + line);
            }
        } catch (IOException e) {
            // The process is gone and its pipe closed under us: nothing more to copy.
        } finally {
            to.flush();
            finished.countDown();
        }
    }

    /** Waits until the stream has ended (the process exited and its output was copied), at most {@code millis}. */
    boolean awaitEnd(long millis) {
        try {
            return finished.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines seen, oldest first. */
    List<String> lastLines() {
        return lastLines.toList();
    }
}
