package dev.rpcparallel.sample.primes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.RemoteException;
import dev.rpcparallel.mapreduce.MapReduceException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailureMessagesTest {

    @Test
    void describesFailuresOnOneLine() {
        assertThat(FailureMessages.describe(new RuntimeException("first\nsecond"))).isEqualTo(
                "java.lang.RuntimeException: first");
        assertThat(FailureMessages.describe(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
        assertThat(FailureMessages.describe(new ExceptionInInitializerError(new IllegalStateException("no codec"))))
                .isEqualTo("java.lang.ExceptionInInitializerError: java.lang.IllegalStateException: no codec");
        assertThat(FailureMessages.describe(new CompletionException(new IllegalArgumentException("bad"))))
                .isEqualTo("java.lang.IllegalArgumentException: bad");
        assertThat(FailureMessages.describe(new RemoteException(
                "primes-1", "function 'count'", "java.lang.IllegalArgumentException", "bad range", "at ...")))
                .isEqualTo("worker 'primes-1', function 'count': java.lang.IllegalArgumentException: bad range");
    }

    @Test
    void aMapReduceFailureIsItsOwnMessageWhichNamesTheInputAndTheWorker() {
        assertThat(FailureMessages.describe(new MapReduceException(
                "map-reduce primes.count failed on input #3 (worker 'primes-2'): bad range\nat ...", 3,
                new IllegalArgumentException("bad range"))))
                .isEqualTo("map-reduce primes.count failed on input #3 (worker 'primes-2'): bad range");
    }
}
