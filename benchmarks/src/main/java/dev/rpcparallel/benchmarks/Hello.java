package dev.rpcparallel.benchmarks;

import java.io.IOException;

/**
 * The bare-JVM baseline: prints {@code ready} and exits, or with the argument {@code wait} stays
 * alive until its stdin ends (for resident-size baselines). Started with the same {@code java},
 * JVM options and class path as the workers.
 */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) throws IOException {
        System.out.println("ready");
        System.out.flush();
        if (args.length > 0 && args[0].equals("wait")) {
            while (System.in.read() >= 0) {
                // idle until the harness closes our stdin
            }
        }
    }
}
