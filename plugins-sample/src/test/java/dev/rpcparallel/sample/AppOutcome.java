package dev.rpcparallel.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.function.ToIntFunction;

/** What a sample app returned and printed: its exit code, its standard output and its standard error. */
public record AppOutcome(int exitCode, String out, String err) {

    /** Runs {@code app} with {@code args} in this JVM, capturing what it prints. */
    public static AppOutcome of(ToIntFunction<List<String>> app, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Charset charset = Charset.defaultCharset();
        try {
            System.setOut(new PrintStream(out, true, charset));
            System.setErr(new PrintStream(err, true, charset));
            int exitCode = app.applyAsInt(List.of(args));
            return new AppOutcome(exitCode, out.toString(charset), err.toString(charset));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
