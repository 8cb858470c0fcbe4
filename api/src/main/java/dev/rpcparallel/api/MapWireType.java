package dev.rpcparallel.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TMap;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TType;

/**
 * A Thrift map of non-null keys and values, written in the map's iteration order; decodes to an
 * unmodifiable map with that same iteration order.
 */
final class MapWireType<K, V> extends WireType<Map<K, V>> {
    private final WireType<K> key;
    private final WireType<V> value;

    MapWireType(WireType<K> key, WireType<V> value) {
        super("map<" + key.name() + "," + value.name() + ">", TType.MAP);
        this.key = key;
        this.value = value;
    }

    @Override
    void write(TProtocol out, Map<K, V> map) throws TException {
        out.incrementRecursionDepth();
        int size = map.size();
        out.writeMapBegin(new TMap(key.ttype(), value.ttype(), size));
        int index = 0;
        for (Map.Entry<K, V> entry : map.entrySet()) {
            K k = entry.getKey();
            V v = entry.getValue();
            if (k == null || v == null) {
                throw new CodecException("map entry " + index + " has a null "
                        + (k == null ? "key" : "value") + "; map keys and values may not be null");
            }
            if (index == size) {
                break;
            }
            key.write(out, k);
            value.write(out, v);
            index++;
        }
        if (index != size) {
            throw new CodecException("the map changed size while it was being encoded");
        }
        out.writeMapEnd();
        out.decrementRecursionDepth();
    }

    @Override
    Map<K, V> read(TProtocol in) throws TException {
        in.incrementRecursionDepth();
        TMap header = in.readMapBegin();
        int size = header.size;
        if (size > 0 && (header.keyType != key.ttype() || header.valueType != value.ttype())) {
            throw new CodecException("map entries are " + ttypeName(header.keyType) + " -> "
                    + ttypeName(header.valueType) + ", expected " + ttypeName(key.ttype()) + " -> "
                    + ttypeName(value.ttype()));
        }
        // Every key and every value takes at least one byte: see ListWireType.read.
        int remaining = in.getTransport().getBytesRemainingInBuffer();
        if (size > remaining / 2) {
            throw new CodecException(
                    "map declares " + size + " entries but only " + remaining + " bytes remain");
        }
        Map<K, V> map = new LinkedHashMap<>((int) (size / 0.75f) + 1);
        for (int i = 0; i < size; i++) {
            K k = key.read(in);
            map.put(k, value.read(in));
        }
        in.readMapEnd();
        in.decrementRecursionDepth();
        return Collections.unmodifiableMap(map);
    }
}
