package dev.rpcparallel.api.internal.codec;

import dev.rpcparallel.api.annotation.API;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Thrift list of non-null elements; decodes to an unmodifiable list. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ListWireType<E> extends WireType<List<E>> {
    private final WireType<E> element;

    public ListWireType(WireType<E> element) {
        super("list<" + element.name() + ">", ValueType.LIST);
        this.element = element;
    }

    @Override
    public void write(CompactWriter out, List<E> list) {
        out.enter();
        int size = list.size();
        out.listBegin(element.valueType(), size);
        int index = 0;
        for (E value : list) {
            if (value == null) {
                throw new WireFormatException(
                        "list element " + index + " is null; list elements may not be null");
            }
            if (index == size) {
                break;
            }
            element.write(out, value);
            index++;
        }
        if (index != size) {
            throw new WireFormatException("the list changed size while it was being encoded");
        }
        out.exit();
    }

    @Override
    public List<E> read(CompactReader in) {
        in.enter();
        int size = in.readListHeader();
        if (size > 0 && in.elementType() != element.valueType()) {
            throw new WireFormatException("list elements are " + ValueType.name(in.elementType())
                    + ", expected " + ValueType.name(element.valueType()));
        }
        // Every element takes at least one byte: a declared size beyond that is a lie, and must
        // not size the allocation below.
        int remaining = in.remaining();
        if (size > remaining) {
            throw new WireFormatException(
                    "list declares " + size + " elements but only " + remaining + " bytes remain");
        }
        List<E> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.read(in));
        }
        in.exit();
        return Collections.unmodifiableList(list);
    }
}
