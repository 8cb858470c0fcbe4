package dev.rpcparallel.api.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.Codecs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordWireTypeTest {
    record Point(int x, long y, Optional<String> label) {}

    record Route(String name, List<Point> points) {}

    record Unused(short a, byte b, boolean c) {}

    @Test
    void makingACodecLeavesTheMethodHandlesUnadaptedUntilTheFirstValue() {
        Codec<Route> codec = Codecs.record(Route.class);
        Codecs.record(Unused.class);

        assertThat(RecordWireType.of(Route.class).adapted()).isFalse();
        assertThat(RecordWireType.of(Point.class).adapted()).isFalse();
        assertThat(RecordWireType.of(Unused.class).adapted()).isFalse();

        Route route = new Route("r", List.of(new Point(1, 2L, Optional.of("a")), new Point(-3, 4L, Optional.empty())));
        assertThat(codec.decode(codec.encode(route))).isEqualTo(route);

        assertThat(RecordWireType.of(Route.class).adapted()).isTrue();
        assertThat(RecordWireType.of(Unused.class).adapted()).isFalse();
        Codec<Point> points = Codecs.record(Point.class);
        assertThat(points.decode(points.encode(new Point(5, 6L, Optional.empty())))).isEqualTo(new Point(5, 6L, Optional.empty()));
        assertThat(RecordWireType.of(Point.class).adapted()).isTrue();
    }

    @Test
    void theWireTypeNameIsCompleteBeforeAnyValue() {
        record Pair(String left, Optional<Integer> right) {}
        Codecs.record(Pair.class);

        assertThat(RecordWireType.of(Pair.class).name())
                .isEqualTo("record:" + Pair.class.getName() + "(left:string,right:optional<i32>)");
        assertThat(RecordWireType.of(Pair.class).adapted()).isFalse();
    }
}
