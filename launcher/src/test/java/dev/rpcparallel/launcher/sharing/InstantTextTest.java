package dev.rpcparallel.launcher.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {
    @Test
    void isInstantsOwnText() {
        for (Instant instant : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(951_782_400L, 120_000_000), Instant.ofEpochSecond(1_795_992_406L, 130_000),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.now()}) {
            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(3) == 0 ? random.nextInt(1000) * 1_000_000
                            : random.nextInt(1_000_000_000));
            assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
        }
    }
}
