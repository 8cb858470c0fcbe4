package dev.rpcparallel.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TType;

/** A Thrift list of non-null elements; decodes to an unmodifiable list. */
final class ListWireType<E> extends WireType<List<E>> {
    private final WireType<E> element;

    ListWireType(WireType<E> element) {
        super("list<" + element.name() + ">", TType.LIST);
        this.element = element;
    }

    @Override
    void write(TProtocol out, List<E> list) throws TException {
        out.incrementRecursionDepth();
        int size = list.size();
        out.writeListBegin(new TList(element.ttype(), size));
        int index = 0;
        for (E value : list) {
            if (value == null) {
                throw new CodecException(
                        "list element " + index + " is null; list elements may not be null");
            }
            if (index == size) {
                break;
            }
            element.write(out, value);
            index++;
        }
        if (index != size) {
            throw new CodecException("the list changed size while it was being encoded");
        }
        out.writeListEnd();
        out.decrementRecursionDepth();
    }

    @Override
    List<E> read(TProtocol in) throws TException {
        in.incrementRecursionDepth();
        TList header = in.readListBegin();
        int size = header.size;
        if (size > 0 && header.elemType != element.ttype()) {
            throw new CodecException("list elements are " + ttypeName(header.elemType)
                    + ", expected " + ttypeName(element.ttype()));
        }
        // Every element takes at least one byte: a declared size beyond that is a lie, and must
        // not size the allocation below.
        int remaining = in.getTransport().getBytesRemainingInBuffer();
        if (size > remaining) {
            throw new CodecException(
                    "list declares " + size + " elements but only " + remaining + " bytes remain");
        }
        List<E> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.read(in));
        }
        in.readListEnd();
        in.decrementRecursionDepth();
        return Collections.unmodifiableList(list);
    }
}
