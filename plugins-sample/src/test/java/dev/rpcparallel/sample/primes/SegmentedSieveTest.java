package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentedSieveTest {
    /** Prime-counting function values from the literature. */
    @ParameterizedTest(name = "pi({0}) = {1}")
    @CsvSource({
        "10, 4",
        "100, 25",
        "1000, 168",
        "1000000, 78498",
        "10000000, 664579",
        "100000000, 5761455",
        "1000000000, 50847534",
    })
    void countsKnownValuesOfPi(long limit, long expected) {
        assertThat(SegmentedSieve.countPrimes(0, limit)).isEqualTo(expected);
    }

    @Test
    void handlesTheSmallestRanges() {
        assertThat(SegmentedSieve.countPrimes(0, 0)).isZero();
        assertThat(SegmentedSieve.countPrimes(0, 1)).isZero();
        assertThat(SegmentedSieve.countPrimes(0, 2)).isZero();
        assertThat(SegmentedSieve.countPrimes(0, 3)).isEqualTo(1);
        assertThat(SegmentedSieve.countPrimes(0, 4)).isEqualTo(2);
        assertThat(SegmentedSieve.countPrimes(1, 2)).isZero();
        assertThat(SegmentedSieve.countPrimes(1, 3)).isEqualTo(1);
        assertThat(SegmentedSieve.countPrimes(2, 3)).isEqualTo(1);
        assertThat(SegmentedSieve.countPrimes(3, 4)).isEqualTo(1);
        assertThat(SegmentedSieve.countPrimes(4, 5)).isZero();
        assertThat(SegmentedSieve.countPrimes(2, 4)).isEqualTo(2);
        assertThat(SegmentedSieve.countPrimes(3, 14)).isEqualTo(5); // 3 5 7 11 13
        assertThat(SegmentedSieve.countPrimes(14, 17)).isZero();
        assertThat(SegmentedSieve.countPrimes(17, 18)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 13, 17, 1_000_000, 99_999_999_977L, SegmentedSieve.MAX_LIMIT})
    void emptyRangesHaveNoPrimes(long at) {
        assertThat(SegmentedSieve.countPrimes(at, at)).isZero();
    }

    @Test
    void everySingleNumberBelowTenThousandIsClassifiedCorrectly() {
        boolean[] prime = naivePrimeTable(10_000);
        for (int n = 0; n < 10_000; n++) {
            assertThat(SegmentedSieve.countPrimes(n, n + 1)).as("is %d prime", n).isEqualTo(prime[n] ? 1 : 0);
        }
    }

    @Test
    void randomSmallRangesAgreeWithANaiveSieve() {
        int max = 3_000_000;
        long[] below = primesBelowTable(max);
        SplittableRandom random = new SplittableRandom(20240601);
        for (int i = 0; i < 2_000; i++) {
            int a = random.nextInt(max + 1);
            int b = random.nextInt(max + 1);
            int from = Math.min(a, b);
            int to = i % 2 == 0 ? Math.max(a, b) : Math.min(max, from + random.nextInt(300));
            assertThat(SegmentedSieve.countPrimes(from, to))
                    .as("[%d, %d)", from, to)
                    .isEqualTo(below[to] - below[from]);
        }
    }

    @Test
    void randomWindowsAtLargeOffsetsAgreeWithANaiveWindowSieve() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            long from = random.nextLong(SegmentedSieve.MAX_LIMIT - 100_000);
            long to = from + random.nextInt(100_000);
            assertThat(SegmentedSieve.countPrimes(from, to))
                    .as("[%d, %d)", from, to)
                    .isEqualTo(naiveWindowCount(from, to));
        }
    }

    @Test
    void windowsAcrossSegmentBoundariesAgreeWithANaiveWindowSieve() {
        // A segment holds 2^21 odd numbers, so segments start at multiples of 2^22.
        for (long boundary = 1L << 22; boundary < 1L << 26; boundary += 1L << 22) {
            for (long from = boundary - 130; from < boundary + 130; from += 37) {
                assertThat(SegmentedSieve.countPrimes(from, boundary + 150))
                        .as("[%d, %d)", from, boundary + 150)
                        .isEqualTo(naiveWindowCount(from, boundary + 150));
            }
        }
        long from = (1L << 22) - 1000;
        long to = 3 * (1L << 22) + 1000;
        assertThat(SegmentedSieve.countPrimes(from, to)).isEqualTo(naiveWindowCount(from, to));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 100, 997})
    void chunksOfARangeSumToTheWholeRange(int chunks) {
        long limit = 10_000_000;
        long sum = 0;
        for (int i = 0; i < chunks; i++) {
            sum += SegmentedSieve.countPrimes(limit * i / chunks, limit * (i + 1) / chunks);
        }
        assertThat(sum).isEqualTo(664_579);
    }

    @Test
    void randomSplitsOfARangeNearTheTopSumToTheWholeRange() {
        long from = 99_990_000_000L;
        long to = from + 20_000_000;
        long whole = SegmentedSieve.countPrimes(from, to);
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 5; round++) {
            long[] cuts = random.longs(1 + random.nextInt(40), from, to).sorted().toArray();
            long sum = 0;
            long start = from;
            for (long cut : cuts) {
                sum += SegmentedSieve.countPrimes(start, cut);
                start = cut;
            }
            sum += SegmentedSieve.countPrimes(start, to);
            assertThat(sum).as("cuts %s", Arrays.toString(cuts)).isEqualTo(whole);
        }
    }

    @Test
    void aWindowBelowOneHundredBillionAgreesWithANaiveWindowSieve() {
        long to = 100_000_000_000L;
        long from = to - 10_000_000;
        assertThat(SegmentedSieve.countPrimes(from, to)).isEqualTo(naiveWindowCount(from, to));
    }

    @Test
    void windowsNearTheTopAgreeWithAPrimalityTest() {
        for (long to : new long[] {100_000_000_000L, SegmentedSieve.MAX_LIMIT}) {
            long from = to - 20_000;
            long expected = 0;
            for (long n = from; n < to; n++) {
                if (BigInteger.valueOf(n).isProbablePrime(50)) {
                    expected++;
                }
            }
            assertThat(SegmentedSieve.countPrimes(from, to)).as("[%d, %d)", from, to).isEqualTo(expected);
        }
    }

    @Test
    void memoryStaysBoundedForALargeRangeNearOneHundredBillion() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        long thread = Thread.currentThread().getId();

        long to = 100_000_000_000L;
        long from = to - 1_000_000_000L;
        SegmentedSieve.countPrimes(from, from + 1_000_000); // load and initialise the class first
        long before = counter.getThreadAllocatedBytes(thread);
        long primes = SegmentedSieve.countPrimes(from, to);
        long allocated = counter.getThreadAllocatedBytes(thread) - before;

        assertThat(primes).isPositive();
        // One bit per odd number of the whole range would take 62.5 MB.
        assertThat(allocated).as("bytes allocated").isLessThan(2L * 1024 * 1024);
    }

    @Test
    void rejectsInvalidRanges() {
        assertThatThrownBy(() -> SegmentedSieve.countPrimes(-1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range start must not be negative: [-1, 10)");
        assertThatThrownBy(() -> SegmentedSieve.countPrimes(10, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range end must not be below its start: [10, 9)");
        assertThatThrownBy(() -> SegmentedSieve.countPrimes(0, SegmentedSieve.MAX_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range end must be at most 1000000000000: [0, 1000000000001)");
    }

    @Test
    void isqrtIsExact() {
        for (long r : new long[] {0, 1, 2, 3, 1_000, 316_227, 316_228, 999_999, 1_000_000}) {
            assertThat(SegmentedSieve.isqrt(r * r)).isEqualTo(r);
            if (r > 0) {
                assertThat(SegmentedSieve.isqrt(r * r - 1)).isEqualTo(r - 1);
            }
            assertThat(SegmentedSieve.isqrt(r * r + 2 * r)).isEqualTo(r);
        }
    }

    /** prime[n] for 0 <= n < size, by the textbook sieve over every integer. */
    private static boolean[] naivePrimeTable(int size) {
        boolean[] prime = new boolean[size];
        Arrays.fill(prime, true);
        prime[0] = false;
        if (size > 1) {
            prime[1] = false;
        }
        for (int p = 2; (long) p * p < size; p++) {
            if (prime[p]) {
                for (int m = p * p; m < size; m += p) {
                    prime[m] = false;
                }
            }
        }
        return prime;
    }

    /** below[n] = the number of primes below n, for 0 <= n <= max. */
    private static long[] primesBelowTable(int max) {
        boolean[] prime = naivePrimeTable(max);
        long[] below = new long[max + 1];
        for (int n = 0; n < max; n++) {
            below[n + 1] = below[n] + (prime[n] ? 1 : 0);
        }
        return below;
    }

    /**
     * The primes in [from, to): crosses off the multiples of every integer d >= 2 with
     * d * d < to, one boolean per number, with none of the sieve's tricks.
     */
    private static long naiveWindowCount(long from, long to) {
        boolean[] composite = new boolean[Math.toIntExact(to - from)];
        for (long d = 2; d * d < to; d++) {
            long first = Math.max(d * d, (from + d - 1) / d * d);
            for (long m = first; m < to; m += d) {
                composite[(int) (m - from)] = true;
            }
        }
        long count = 0;
        for (long n = from; n < to; n++) {
            if (n >= 2 && !composite[(int) (n - from)]) {
                count++;
            }
        }
        return count;
    }
}
