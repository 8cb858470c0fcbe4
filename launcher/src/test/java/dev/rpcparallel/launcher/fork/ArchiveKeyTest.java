package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The CDS archive key: SHA-256 over texts (UTF-8) and numbers (eight bytes, least significant
 * first), cut to 32 hex digits. The expected values are SHA-256 digests computed apart from this
 * code, so a change of encoding (another byte order, another charset, another cut) fails here and
 * would orphan every archive in users' caches.
 */
class ArchiveKeyTest {
    @Test
    void aTextIsHashedAsItsUtf8Bytes() {
        // SHA-256("abc"), FIPS 180-2's first example, cut to 32 digits.
        assertThat(ArchiveKey.start().add("abc").hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
    }

    @Test
    void numbersAreHashedAsEightBytesLeastSignificantFirst() {
        String key = ArchiveKey.start().add("/usr/bin/java").add("\n").add("/app/lib/a.jar").add(12345L)
                .add(1700000000000L).add("\n").add("-Xmx1g").add("\n").hex();

        assertThat(key).isEqualTo("514280d665be258bd0fb9b60c11cf302");
    }

    @Test
    void aJarOfAnotherSizeOrTimeGivesAnotherKey() {
        String key = ArchiveKey.start().add("/app/lib/a.jar").add(12345L).add(1L).hex();

        assertThat(ArchiveKey.start().add("/app/lib/a.jar").add(12346L).add(1L).hex()).isNotEqualTo(key);
        assertThat(ArchiveKey.start().add("/app/lib/a.jar").add(12345L).add(2L).hex()).isNotEqualTo(key);
        assertThat(ArchiveKey.start().add("/app/lib/a.jar").add(12345L).add(1L).hex()).isEqualTo(key);
        assertThat(key).hasSize(ArchiveKey.HEX_DIGITS).matches("[0-9a-f]+");
    }
}
