package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Thrift map of non-null keys and values, written in the map's iteration order; decodes to an
 * unmodifiable map with that same iteration order.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class MapWireType<K, V> extends WireType<Map<K, V>> {
    private final WireType<K> key;
    private final WireType<V> value;

    public MapWireType(WireType<K> key, WireType<V> value) {
        super("map<" + key.name() + "," + value.name() + ">", ValueType.MAP);
        this.key = key;
        this.value = value;
    }

    @Override
    public void write(CompactWriter out, Map<K, V> map) {
        out.enter();
        int size = map.size();
        out.mapBegin(key.valueType(), value.valueType(), size);
        int index = 0;
        for (Map.Entry<K, V> entry : map.entrySet()) {
            K k = entry.getKey();
            V v = entry.getValue();
            if (k == null || v == null) {
                throw new WireFormatException("map entry " + index + " has a null "
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
            throw new WireFormatException("the map changed size while it was being encoded");
        }
        out.exit();
    }

    @Override
    public Map<K, V> read(CompactReader in) {
        in.enter();
        int size = in.readMapHeader();
        if (size > 0 && (in.keyType() != key.valueType() || in.elementType() != value.valueType())) {
            throw new WireFormatException("map entries are " + ValueType.name(in.keyType()) + " -> "
                    + ValueType.name(in.elementType()) + ", expected " + ValueType.name(key.valueType())
                    + " -> " + ValueType.name(value.valueType()));
        }
        // Every key and every value takes at least one byte: see ListWireType.read.
        int remaining = in.remaining();
        if (size > remaining / 2) {
            throw new WireFormatException(
                    "map declares " + size + " entries but only " + remaining + " bytes remain");
        }
        Map<K, V> map = new LinkedHashMap<>((int) (size / 0.75f) + 1);
        for (int i = 0; i < size; i++) {
            K k = key.read(in);
            map.put(k, value.read(in));
        }
        in.exit();
        return Collections.unmodifiableMap(map);
    }
}
