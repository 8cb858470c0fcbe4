package dev.rpcparallel.sample.tour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Parallel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Runs the tour in this JVM as master, against real worker processes. */
class TourAppIT {

    @AfterAll
    static void shutDown() {
        Parallel.shutdownWorkers();
    }

    @Test
    void printsOneLinePerKindWithWhatItObserved() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Charset charset = Charset.defaultCharset();
        int exitCode;
        try {
            System.setOut(new PrintStream(captured, true, charset));
            exitCode = new TourApp().run(List.of());
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString(charset);
        System.out.print(out);
        assertThat(exitCode).isZero();
        // The direct pipe's id is a number the run chose: any, as long as it is one.
        assertThat(out.lines().filter(line -> !line.startsWith("[worker "))
                .map(line -> line.replaceFirst("^(direct pipe: .*, aborted by id )[0-9]+;", "$1N;"))).containsExactly(
                "rpc: square(12) = 144",
                "pipe: countdown(5) streamed [5, 4, 3, 2, 1]",
                "direct pipe: ticks [1, 2, 3]..., aborted by id N; callback closed with CancellationException,"
                        + " the worker's writer saw the close",
                "one-way: remember(\"hello\") sent without waiting; the worker now remembers [hello]",
                "reverse pipe: streamed 1..100 to the worker, which answered sum = 5050",
                "state: counter starts at 100, then updates [101, 102, 103]",
                "close-server: a new connection is refused; the open one still answers square(3) = 9",
                "log: two subscribers each received INFO \"hello from the tour\" from TourWorker");
    }
}
