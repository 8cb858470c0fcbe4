package dev.rpcparallel.api.thriftstruct;

import dev.rpcparallel.api.Codec;
import dev.rpcparallel.api.CodecException;
import dev.rpcparallel.api.Codecs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs inside a class loader that holds one libthrift version (ThriftVersionsTest): the codecs
 * of the API, loaded there too, must encode {@link Point} as that libthrift does, decode it, nest
 * it in records, and reject a struct missing a required field. Returns what it saw; throws an
 * {@link AssertionError} naming the failed check.
 */
public final class ThriftVersionProbe {
    /** A record with the same fields as Point. */
    public record PointRecord(long x, String y) {}

    /** A record holding Thrift structs. */
    public record Shape(String name, Point origin, List<Point> corners, Map<String, Point> named) {}

    /** Point without its required second field. */
    public record OnlyX(long x) {}

    private ThriftVersionProbe() {}

    public static String run() throws Exception {
        Codec<Point> points = Codecs.thrift(Point.class);
        Point point = new Point(-42, "héllo");
        byte[] ours = points.encode(point);
        byte[] theirs = new org.apache.thrift.TSerializer(new org.apache.thrift.protocol.TCompactProtocol.Factory())
                .serialize(point);
        check(Arrays.equals(ours, theirs), "Codecs.thrift encodes as TSerializer with TCompactProtocol");
        check(points.decode(ours).equals(point), "Codecs.thrift decodes what it encodes");
        check(Arrays.equals(Codecs.record(PointRecord.class).encode(new PointRecord(-42, "héllo")), ours),
                "a record with Point's fields encodes as Point");
        Codec<Shape> shapes = Codecs.record(Shape.class);
        Shape shape = new Shape("square", point, List.of(point, new Point(1, "b")), Map.of("c", new Point(2, "c")));
        check(shapes.decode(shapes.encode(shape)).equals(shape), "records holding Thrift structs round-trip");
        try {
            points.decode(Codecs.record(OnlyX.class).encode(new OnlyX(3)));
            throw new AssertionError("a Point without its required field 'y' was accepted");
        } catch (CodecException e) {
            check(e.getMessage().contains("Required field 'y'"), "the struct's own validation reports: " + e.getMessage());
        }
        String jar = org.apache.thrift.TBase.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return jar.substring(jar.lastIndexOf('/') + 1);
    }

    private static void check(boolean passed, String what) {
        if (!passed) {
            throw new AssertionError(what);
        }
    }
}
