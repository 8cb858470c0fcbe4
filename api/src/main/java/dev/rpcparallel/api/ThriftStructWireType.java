package dev.rpcparallel.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TType;

/** A Thrift-generated struct, which reads and writes itself. */
final class ThriftStructWireType<T> extends WireType<T> {
    private final Class<T> type;
    /** The public no-arg constructor, as {@code () -> Object}. */
    private final MethodHandle constructor;

    private ThriftStructWireType(Class<T> type, MethodHandle constructor) {
        super("thrift:" + type.getName(), TType.STRUCT);
        this.type = type;
        this.constructor = constructor;
    }

    /**
     * The wire type of a Thrift-generated struct class.
     *
     * @throws CodecException if the class does not implement {@link TBase} or has no public
     *     no-arg constructor
     */
    static <T> ThriftStructWireType<T> of(Class<T> type) {
        if (!TBase.class.isAssignableFrom(type)) {
            throw new CodecException("Cannot create a Thrift codec for " + type.getName()
                    + ": it is not a Thrift-generated struct (does not implement "
                    + TBase.class.getName() + ")");
        }
        try {
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                throw new NoSuchMethodException("abstract type");
            }
            Constructor<T> noArg = type.getConstructor();
            noArg.trySetAccessible();
            MethodHandle constructor = MethodHandles.lookup()
                    .unreflectConstructor(noArg)
                    .asType(MethodType.methodType(Object.class));
            return new ThriftStructWireType<>(type, constructor);
        } catch (NoSuchMethodException | IllegalAccessException | SecurityException e) {
            throw new CodecException("Cannot create a Thrift codec for " + type.getName()
                    + ": it has no accessible public no-arg constructor", e);
        }
    }

    @Override
    void write(TProtocol out, T value) throws TException {
        out.incrementRecursionDepth();
        ((TBase<?, ?>) value).write(out);
        out.decrementRecursionDepth();
    }

    @Override
    T read(TProtocol in) throws TException {
        in.incrementRecursionDepth();
        TBase<?, ?> struct = newInstance();
        struct.read(in);
        in.decrementRecursionDepth();
        return type.cast(struct);
    }

    private TBase<?, ?> newInstance() {
        try {
            return (TBase<?, ?>) (Object) constructor.invokeExact();
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new CodecException("the no-arg constructor of " + type.getName() + " failed: " + e, e);
        }
    }
}
