package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentLinesTest {
    @Test
    void keepsTheLastLinesOldestFirst() {
        RecentLines lines = new RecentLines(3, 1_000);
        for (int i = 1; i <= 5; i++) {
            lines.add("line " + i);
        }

        assertThat(lines.toList()).containsExactly("line 3", "line 4", "line 5");
    }

    @Test
    void keepsAtMostTheCharactersAllowedDroppingTheOldestLines() {
        RecentLines lines = new RecentLines(100, 10);
        lines.add("aaaa");
        lines.add("bbbb");
        lines.add("cccc"); // 12 characters: "aaaa" goes

        assertThat(lines.toList()).containsExactly("bbbb", "cccc");
        lines.add("dddddddddd"); // 10 characters alone

        assertThat(lines.toList()).containsExactly("dddddddddd");
    }

    @Test
    void cutsALineLongerThanTheWholeAllowanceAndSaysHowMuchWasCut() {
        RecentLines lines = new RecentLines(100, 10);
        lines.add("before");
        lines.add("x".repeat(25));

        assertThat(lines.toList()).containsExactly("xxxxxxxxxx ... (15 more characters)");
    }

    @Test
    void refusesAnEmptyAllowance() {
        assertThatThrownBy(() -> new RecentLines(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RecentLines keeps at least one line of one character, not 0 lines of 10 characters");
    }
}
