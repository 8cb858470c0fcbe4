package dev.rpcparallel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code benchmarks/run --baseline} reads the two harnesses' tables back. */
class BaselineComparisonTest {

    @Test
    void readsTheRowsOfAHarnessTableAndNothingElse() {
        List<String> printed = List.of(
                "## rpc-parallel benchmarks (quick run, 20 s)",
                "- load average (1, 5, 15 min) at start: 1.0, 2.0, 3.0",
                "| #   | figure                             | value          | baseline (same run) | baseline value | ratio | target | target met |",
                "| --- | ---------------------------------- | -------------- | ------------------- | -------------- | ----- | ------ | ---------- |",
                "| 2.3 | round trip 32 B, p50 (600 calls)   | 83.3 µs        | raw Thrift, p50     | 59.4 µs        | 1.40× | ≤ 1.3× | **missed** |",
                "| 2.3 | round trip 32 B, p50               | 83.3 µs        | raw socket, p50     | 58.1 µs        | 1.43× | -      | -          |",
                "| 2.4 | throughput, 64 in flight           | 107,934 calls/s | raw socket         | 120,422 msg/s  | 0.90× | -      | met        |",
                "| figure | better | rpc-parallel |",
                "| spawn to first answer, cold | lower | 250.0 ms |");

        assertThat(BaselineComparison.rows(printed)).containsExactly(
                new BaselineComparison.Row("2.3", "round trip 32 B, p50 (600 calls)", "83.3 µs", "raw Thrift, p50",
                        "1.40×"),
                new BaselineComparison.Row("2.3", "round trip 32 B, p50", "83.3 µs", "raw socket, p50", "1.43×"),
                new BaselineComparison.Row("2.4", "throughput, 64 in flight", "107,934 calls/s", "raw socket",
                        "0.90×"));
    }

    @Test
    void keepsApartTheRowsOfOneFigureAgainstDifferentBaselines() {
        List<BaselineComparison.Row> rows = BaselineComparison.rows(List.of(
                "| 2.3 | round trip 32 B, p50 | 83.3 µs | raw Thrift, p50 | 59.4 µs | 1.40× | - | - |",
                "| 2.3 | round trip 32 B, p50 | 83.3 µs | raw socket, p50 | 58.1 µs | 1.43× | - | - |"));

        assertThat(rows).extracting(BaselineComparison.Row::key).doesNotHaveDuplicates();
    }

    @Test
    void takesTheNumberBeforeTheFirstUnitOfACell() {
        assertThat(BaselineComparison.number("107,934 calls/s")).isEqualTo(107_934.0);
        assertThat(BaselineComparison.number("56.2 MiB (PSS 40.3 MiB)")).isEqualTo(56.2);
        assertThat(BaselineComparison.number("1.81× (3.26 s → 1.81 s)")).isEqualTo(1.81);
        assertThat(BaselineComparison.number("50/50 answered, 16172.1 ms")).isEqualTo(16_172.1);
        assertThat(BaselineComparison.number("not available yet")).isNull();
    }

    @Test
    void takesAHarnessPeersTableWithItsNotes() {
        List<String> printed = List.of(
                "## rpc-parallel benchmarks (quick run, 20 s)",
                "",
                "### Peers (same run; each figure's rounds alternate between the contenders)",
                "",
                "| figure | better | rpc-parallel | raw Thrift child JVM | best peer | rpc-parallel ÷ best peer |",
                "| --- | --- | --- | --- | --- | --- |",
                "| round trip 32 B, p50 | lower | 30.8 µs | 53.5 µs | raw Thrift child JVM | 0.58× (ahead) |",
                "",
                "- Python peers skipped: no python3 on the PATH");

        assertThat(BaselineComparison.peersTable(printed)).containsExactlyElementsOf(printed.subList(3, printed.size()));
        assertThat(BaselineComparison.peersTable(printed.subList(0, 2))).isEmpty();
    }
}
