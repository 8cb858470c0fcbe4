package dev.rpcparallel.sample.primestream;

import java.util.function.LongConsumer;

/**
 * The primes of a range in ascending order, by a segmented sieve of Eratosthenes: memory stays
 * small (one segment and the primes up to the square root of the end) however long the range.
 */
final class PrimeGenerator {
    /** The largest end of a range. */
    static final long MAX_LIMIT = 1_000_000_000_000L;
    private static final int SEGMENT = 1 << 16;

    private PrimeGenerator() {}

    /**
     * Checks a range: {@code 0 <= from <= to <= 10^12}.
     *
     * @throws IllegalArgumentException naming the bound that is wrong
     */
    static void check(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("the range must start at 0 or above, not " + from);
        }
        if (to > MAX_LIMIT) {
            throw new IllegalArgumentException("the range must end at 10^12 at most, not " + to);
        }
        if (from > to) {
            throw new IllegalArgumentException("the range [" + from + ", " + to + ") ends before it starts");
        }
    }

    /** Gives every prime {@code p} with {@code from <= p < to} to {@code consumer}, ascending. */
    static void forEachPrime(long from, long to, LongConsumer consumer) {
        check(from, to);
        int[] base = smallPrimes((int) isqrt(Math.max(0, to - 1)));
        boolean[] composite = new boolean[SEGMENT];
        for (long low = Math.max(from, 2); low < to; low += SEGMENT) {
            long high = Math.min(to, low + SEGMENT);
            int length = (int) (high - low);
            java.util.Arrays.fill(composite, 0, length, false);
            for (int p : base) {
                long square = (long) p * p;
                if (square >= high) {
                    break;
                }
                long first = Math.max(square, (low + p - 1) / p * p);
                for (long m = first; m < high; m += p) {
                    composite[(int) (m - low)] = true;
                }
            }
            for (int i = 0; i < length; i++) {
                if (!composite[i]) {
                    consumer.accept(low + i);
                }
            }
        }
    }

    /** The primes up to {@code max} (at most 10^6), by a plain sieve. */
    static int[] smallPrimes(int max) {
        if (max < 2) {
            return new int[0];
        }
        boolean[] composite = new boolean[max + 1];
        int count = 0;
        for (int i = 2; i <= max; i++) {
            if (!composite[i]) {
                count++;
                for (long m = (long) i * i; m <= max; m += i) {
                    composite[(int) m] = true;
                }
            }
        }
        int[] primes = new int[count];
        int at = 0;
        for (int i = 2; i <= max; i++) {
            if (!composite[i]) {
                primes[at++] = i;
            }
        }
        return primes;
    }

    /** floor(sqrt(n)) for 0 <= n <= 10^12, exact. */
    static long isqrt(long n) {
        long r = (long) Math.sqrt((double) n);
        while (r * r > n) {
            r--;
        }
        while ((r + 1) * (r + 1) <= n) {
            r++;
        }
        return r;
    }
}
