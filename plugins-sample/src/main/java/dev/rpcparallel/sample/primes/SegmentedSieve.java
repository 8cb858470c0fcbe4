package dev.rpcparallel.sample.primes;

/**
 * Counts the primes in a range with a segmented sieve of Eratosthenes, in bounded memory.
 *
 * <p>The sieve keeps one bit per odd number. Numbers are handled a segment at a time
 * ({@value #SEGMENT_BYTES} bytes of bits, about four million numbers), so memory use does not
 * grow with the range: besides the segment it holds the odd primes up to the square root of the
 * range's end (about 27,000 of them below 10<sup>11</sup>) and, per prime, where its next multiple
 * falls. Each segment starts as a copy of a precomputed pattern in which the multiples of 3, 5,
 * 7, 11 and 13 are already crossed off; the other base primes are then crossed off one by one,
 * and the primes left are counted with {@link Long#bitCount}.
 *
 * <p>Stateless and thread-safe; a call uses only the thread that makes it.
 */
public final class SegmentedSieve {

    /** The largest accepted range end: 10<sup>12</sup>. */
    public static final long MAX_LIMIT = 1_000_000_000_000L;

    /** Segment size: 256 KiB of bits, fits the per-core L2 cache of current CPUs. */
    private static final int SEGMENT_BYTES = 256 * 1024;
    private static final int SEGMENT_BITS = SEGMENT_BYTES * 8;
    private static final int SEGMENT_WORDS = SEGMENT_BITS / 64;

    /** The primes whose multiples the segment pattern already crosses off. */
    private static final int[] PRESIEVED_PRIMES = {3, 5, 7, 11, 13};
    /**
     * The pattern's period in odd numbers is 3·5·7·11·13 = 15015 bits; this many 64-bit words
     * hold 64 periods, so it repeats on word boundaries.
     */
    private static final int PATTERN_WORDS = 3 * 5 * 7 * 11 * 13;
    private static final long[] PATTERN = buildPattern();
    /** The smallest base prime that is crossed off segment by segment. */
    private static final int FIRST_SIEVING_PRIME = 17;

    private SegmentedSieve() {}

    /**
     * Counts the primes {@code p} with {@code fromInclusive <= p < toExclusive}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fromInclusive <= toExclusive <=}
     *     {@link #MAX_LIMIT}
     */
    public static long countPrimes(long fromInclusive, long toExclusive) {
        if (fromInclusive < 0) {
            throw new IllegalArgumentException("range start must not be negative: [" + fromInclusive + ", "
                    + toExclusive + ")");
        }
        if (toExclusive < fromInclusive) {
            throw new IllegalArgumentException("range end must not be below its start: [" + fromInclusive + ", "
                    + toExclusive + ")");
        }
        if (toExclusive > MAX_LIMIT) {
            throw new IllegalArgumentException("range end must be at most " + MAX_LIMIT + ": [" + fromInclusive
                    + ", " + toExclusive + ")");
        }

        long count = 0;
        // 2 and the pre-sieved primes are crossed off as multiples of themselves: count them here.
        if (fromInclusive <= 2 && 2 < toExclusive) {
            count++;
        }
        for (int p : PRESIEVED_PRIMES) {
            if (fromInclusive <= p && p < toExclusive) {
                count++;
            }
        }

        // Bit k stands for the odd number 2k + 1. 1 (k = 0) is not a prime.
        long kFrom = Math.max(1, fromInclusive / 2);
        long kTo = toExclusive / 2;
        if (kFrom >= kTo) {
            return count;
        }
        return count + sieveOdd(kFrom, kTo, toExclusive);
    }

    /** Counts the odd primes 2k + 1 with kFrom <= k < kTo, none of them pre-sieved. */
    private static long sieveOdd(long kFrom, long kTo, long toExclusive) {
        int[] primes = oddPrimesUpTo(isqrt(toExclusive - 1), FIRST_SIEVING_PRIME);
        long firstSegment = kFrom & ~63L; // word-aligned, so the pattern can be copied word by word
        long[] next = new long[primes.length]; // per prime: the index k of its next odd multiple
        long firstOdd = 2 * firstSegment + 1;
        for (int i = 0; i < primes.length; i++) {
            long p = primes[i];
            long multiple = Math.max(p * p, (firstOdd + p - 1) / p * p);
            if ((multiple & 1) == 0) {
                multiple += p;
            }
            next[i] = (multiple - 1) / 2;
        }

        long[] segment = new long[SEGMENT_WORDS];
        long count = 0;
        for (long segmentStart = firstSegment; segmentStart < kTo; segmentStart += SEGMENT_BITS) {
            int bits = (int) Math.min(SEGMENT_BITS, kTo - segmentStart);
            int words = (bits + 63) >>> 6;
            copyPattern(segment, words, segmentStart >>> 6);

            long segmentEnd = segmentStart + bits;
            for (int i = 0; i < primes.length; i++) {
                long k = next[i];
                if (k < segmentEnd) {
                    int step = primes[i];
                    int j = (int) (k - segmentStart);
                    for (; j < bits; j += step) {
                        segment[j >>> 6] |= 1L << j;
                    }
                    next[i] = segmentStart + j;
                }
            }

            // Mark the bits outside [kFrom, kTo) as composite, then count the unmarked ones.
            if (segmentStart < kFrom) {
                segment[0] |= (1L << (kFrom - segmentStart)) - 1;
            }
            if ((bits & 63) != 0) {
                segment[words - 1] |= -1L << bits;
            }
            int composite = 0;
            for (int w = 0; w < words; w++) {
                composite += Long.bitCount(segment[w]);
            }
            count += (long) words * 64 - composite;
        }
        return count;
    }

    /** Fills segment[0, words) with the pattern, starting at pattern word wordIndex mod period. */
    private static void copyPattern(long[] segment, int words, long wordIndex) {
        int from = (int) (wordIndex % PATTERN_WORDS);
        int done = 0;
        while (done < words) {
            int n = Math.min(words - done, PATTERN_WORDS - from);
            System.arraycopy(PATTERN, from, segment, done, n);
            done += n;
            from = 0;
        }
    }

    private static long[] buildPattern() {
        long[] pattern = new long[PATTERN_WORDS];
        for (int p : PRESIEVED_PRIMES) {
            // Odd multiples of p: 2k + 1 = p(2m + 1), so k = p·m + (p - 1) / 2.
            for (long k = (p - 1) / 2; k < (long) PATTERN_WORDS * 64; k += p) {
                pattern[(int) (k >>> 6)] |= 1L << k;
            }
        }
        return pattern;
    }

    /** The odd primes p with min <= p <= max, ascending; a plain sieve, max is at most 10^6. */
    static int[] oddPrimesUpTo(long max, int min) {
        if (max < 3) {
            return new int[0];
        }
        int n = (int) max;
        boolean[] composite = new boolean[n / 2 + 1]; // index i stands for 2i + 1
        int found = 0;
        for (int i = 1; 2 * i + 1 <= n; i++) {
            if (!composite[i]) {
                long p = 2L * i + 1;
                for (long m = p * p; m <= n; m += 2 * p) {
                    composite[(int) (m / 2)] = true;
                }
                if (p >= min) {
                    found++;
                }
            }
        }
        int[] primes = new int[found];
        int at = 0;
        for (int i = 1; 2 * i + 1 <= n; i++) {
            if (!composite[i] && 2 * i + 1 >= min) {
                primes[at++] = 2 * i + 1;
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
