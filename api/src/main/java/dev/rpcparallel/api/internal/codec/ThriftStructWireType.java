package dev.rpcparallel.api.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * A Thrift-generated struct, which reads and writes itself with the libthrift of the
 * application.
 *
 * <p>This module does not depend on libthrift: the struct's own class loader supplies
 * {@code TBase}, {@code TCompactProtocol} and the memory transports, found by name and called
 * through method handles, so the libthrift the application pins works (0.16, 0.20 and 0.25 are
 * tested), and a struct in a plugin's class loader uses that loader's libthrift. The struct is encoded on its
 * own and its bytes are inlined, which is exactly what the compact protocol writes for a nested
 * struct (a struct starts from field id 0). Reading first skips the struct with
 * {@link CompactReader}, which checks every declared length and the nesting against the input,
 * and then lets the struct read exactly those bytes.
 */
final class ThriftStructWireType<T> extends WireType<T> {
    static final String TBASE = "org.apache.thrift.TBase";

    private final Class<T> type;
    private final ThriftProtocol protocol;
    /** The public no-arg constructor, as {@code () -> Object}. */
    private final MethodHandle constructor;

    private ThriftStructWireType(Class<T> type, ThriftProtocol protocol, MethodHandle constructor) {
        super("thrift:" + type.getName(), ValueType.STRUCT);
        this.type = type;
        this.protocol = protocol;
        this.constructor = constructor;
    }

    /** Whether the class is (or implements) libthrift's {@code TBase}, without loading libthrift. */
    static boolean isThriftStruct(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (implementsTBase(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean implementsTBase(Class<?> type) {
        if (type.getName().equals(TBASE)) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (implementsTBase(implemented)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The wire type of a Thrift-generated struct class.
     *
     * @throws WireFormatException if the class does not implement {@code TBase} or has no public
     *     no-arg constructor
     */
    static <T> ThriftStructWireType<T> of(Class<T> type) {
        if (!isThriftStruct(type)) {
            throw new WireFormatException("Cannot create a Thrift codec for " + type.getName()
                    + ": it is not a Thrift-generated struct (does not implement " + TBASE + ")");
        }
        MethodHandle constructor;
        try {
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                throw new NoSuchMethodException("abstract type");
            }
            Constructor<T> noArg = type.getConstructor();
            noArg.trySetAccessible();
            constructor = MethodHandles.lookup()
                    .unreflectConstructor(noArg)
                    .asType(MethodType.methodType(Object.class));
        } catch (NoSuchMethodException | IllegalAccessException | SecurityException e) {
            throw new WireFormatException("Cannot create a Thrift codec for " + type.getName()
                    + ": it has no accessible public no-arg constructor", e);
        }
        return new ThriftStructWireType<>(type, ThriftProtocol.of(type), constructor);
    }

    @Override
    public void write(CompactWriter out, T value) {
        out.enter();
        out.writeRaw(protocol.write(value));
        out.exit();
    }

    @Override
    public T read(CompactReader in) {
        in.enter();
        byte[] bytes = in.readStructBytes();
        Object struct = newInstance();
        protocol.read(struct, bytes);
        in.exit();
        return type.cast(struct);
    }

    private Object newInstance() {
        try {
            return (Object) constructor.invokeExact();
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new WireFormatException("the no-arg constructor of " + type.getName() + " failed: " + e, e);
        }
    }
}
