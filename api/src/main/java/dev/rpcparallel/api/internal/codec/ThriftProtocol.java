package dev.rpcparallel.api.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * libthrift's compact protocol over memory buffers, as method handles found in the class loader
 * of one struct class: only long-standing members with unchanged signatures
 * ({@code TMemoryBuffer(int)}, {@code getArray()}, {@code length()},
 * {@code TMemoryInputTransport(byte[])}, {@code TCompactProtocol(TTransport)},
 * {@code TBase.write/read(TProtocol)}), so that the application's libthrift works whatever its
 * version (ThriftVersionsTest runs 0.16, 0.20 and 0.25). Cached per struct class.
 */
final class ThriftProtocol {
    private static final String THRIFT = "org.apache.thrift.";
    private static final int INITIAL_BUFFER_SIZE = 64;

    private static final ClassValue<ThriftProtocol> BY_STRUCT = new ClassValue<>() {
        @Override
        protected ThriftProtocol computeValue(Class<?> struct) {
            return new ThriftProtocol(struct.getClassLoader(), struct.getName());
        }
    };

    /** {@code (int) -> TMemoryBuffer}, as {@code (int) -> Object}. */
    private final MethodHandle newOutput;
    /** {@code TMemoryBuffer.getArray()}, as {@code (Object) -> byte[]}. */
    private final MethodHandle outputArray;
    /** {@code TMemoryBuffer.length()}, as {@code (Object) -> int}. */
    private final MethodHandle outputLength;
    /** {@code (byte[]) -> TMemoryInputTransport}, as {@code (byte[]) -> Object}. */
    private final MethodHandle newInput;
    /** {@code (TTransport) -> TCompactProtocol}, as {@code (Object) -> Object}. */
    private final MethodHandle newProtocol;
    /** {@code TBase.write(TProtocol)}, as {@code (Object, Object) -> void}. */
    private final MethodHandle write;
    /** {@code TBase.read(TProtocol)}, as {@code (Object, Object) -> void}. */
    private final MethodHandle read;

    private ThriftProtocol(ClassLoader loader, String structName) {
        try {
            Class<?> base = Class.forName(THRIFT + "TBase", false, loader);
            Class<?> protocol = Class.forName(THRIFT + "protocol.TProtocol", false, loader);
            Class<?> transport = Class.forName(THRIFT + "transport.TTransport", false, loader);
            Class<?> compact = Class.forName(THRIFT + "protocol.TCompactProtocol", false, loader);
            Class<?> output = Class.forName(THRIFT + "transport.TMemoryBuffer", false, loader);
            Class<?> input = Class.forName(THRIFT + "transport.TMemoryInputTransport", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            newOutput = lookup.findConstructor(output, MethodType.methodType(void.class, int.class))
                    .asType(MethodType.methodType(Object.class, int.class));
            outputArray = lookup.findVirtual(output, "getArray", MethodType.methodType(byte[].class))
                    .asType(MethodType.methodType(byte[].class, Object.class));
            outputLength = lookup.findVirtual(output, "length", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
            newInput = lookup.findConstructor(input, MethodType.methodType(void.class, byte[].class))
                    .asType(MethodType.methodType(Object.class, byte[].class));
            newProtocol = lookup.findConstructor(compact, MethodType.methodType(void.class, transport))
                    .asType(MethodType.methodType(Object.class, Object.class));
            write = lookup.findVirtual(base, "write", MethodType.methodType(void.class, protocol))
                    .asType(MethodType.methodType(void.class, Object.class, Object.class));
            read = lookup.findVirtual(base, "read", MethodType.methodType(void.class, protocol))
                    .asType(MethodType.methodType(void.class, Object.class, Object.class));
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            throw new WireFormatException("Cannot create a Thrift codec for " + structName
                    + ": its class loader has no usable libthrift (TCompactProtocol over TMemoryBuffer"
                    + " and TMemoryInputTransport): " + e, e);
        }
    }

    static ThriftProtocol of(Class<?> struct) {
        return BY_STRUCT.get(struct);
    }

    /** The struct's compact encoding. */
    byte[] write(Object struct) {
        try {
            Object buffer = newOutput.invokeExact(INITIAL_BUFFER_SIZE);
            write.invokeExact(struct, (Object) newProtocol.invokeExact(buffer));
            byte[] array = (byte[]) outputArray.invokeExact(buffer);
            int length = (int) outputLength.invokeExact(buffer);
            return java.util.Arrays.copyOf(array, length);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new WireFormatException("the Thrift struct " + struct.getClass().getName()
                    + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** Reads {@code bytes}, one complete struct encoding, into {@code struct}. */
    void read(Object struct, byte[] bytes) {
        try {
            read.invokeExact(struct, (Object) newProtocol.invokeExact((Object) newInput.invokeExact(bytes)));
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new WireFormatException("malformed input: the Thrift struct " + struct.getClass().getName()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }
}
