package dev.rpcparallel.api.internal.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A record, written as a Thrift struct: component {@code i} (in declaration order) is field
 * {@code i + 1}.
 *
 * <p>A {@code null} component of a reference type, or an empty {@code Optional}, is not written;
 * reading a struct without the field gives {@code null} (or {@code Optional.empty()}), and fails
 * for a primitive component. Fields with unknown ids are skipped, so a reader whose record is a
 * prefix of the writer's still reads it.
 *
 * <p>Everything reflective happens once: the components, their wire types and the direct method
 * handles of the accessors and the canonical constructor (so an inaccessible record fails when its
 * codec is made) when the wire type is built, which {@link #of} caches per class; the adaptations
 * that let those handles be called generically ({@code asType}, {@code asSpreader}, which make the
 * JVM generate classes) at the first value written or read. A process that makes codecs for every
 * type it knows but uses few of them (a worker describing all plugin types, say) does not pay for
 * the others.
 */
final class RecordWireType<R extends Record> extends WireType<R> {
    private static final ClassValue<RecordWireType<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordWireType<?> computeValue(Class<?> type) {
            if (!type.isRecord()) {
                throw new WireFormatException(
                        "Cannot create a record codec for " + type.getName() + ": not a record");
            }
            return build(type.asSubclass(Record.class), new ArrayDeque<>());
        }
    };

    private final Class<R> type;
    private final Component[] components;
    /** The canonical constructor, a direct handle of its exact type. */
    private final MethodHandle canonicalConstructor;
    /** The canonical constructor, as {@code (Object[]) -> Object}; made at the first read. */
    private volatile MethodHandle constructor;

    private RecordWireType(String name, Class<R> type, Component[] components, MethodHandle canonicalConstructor) {
        super(name, ValueType.STRUCT);
        this.type = type;
        this.components = components;
        this.canonicalConstructor = canonicalConstructor;
    }

    /** The wire type of a record class, built on first use and cached for the class's lifetime. */
    @SuppressWarnings("unchecked")
    static <R extends Record> RecordWireType<R> of(Class<R> type) {
        return (RecordWireType<R>) CACHE.get(type);
    }

    /**
     * Builds the wire type of a record, uncached: nested records are built through here too, so
     * that {@code recordPath} can catch a record that contains itself (a cached lookup inside the
     * cache's own computation could not).
     *
     * @param recordPath the enclosing records being built, innermost first
     */
    static <R extends Record> RecordWireType<R> build(Class<R> type, Deque<Class<?>> recordPath) {
        if (recordPath.contains(type)) {
            StringJoiner cycle = new StringJoiner(" -> ");
            for (Iterator<Class<?>> it = recordPath.descendingIterator(); it.hasNext(); ) {
                cycle.add(it.next().getName());
            }
            cycle.add(type.getName());
            throw new WireFormatException("recursive record types are not supported: " + cycle);
        }
        recordPath.push(type);
        try {
            RecordComponent[] declared = type.getRecordComponents();
            Component[] components = new Component[declared.length];
            Class<?>[] parameterTypes = new Class<?>[declared.length];
            StringJoiner name = new StringJoiner(",", "record:" + type.getName() + "(", ")");
            for (int i = 0; i < declared.length; i++) {
                components[i] = component(type, declared[i], i, recordPath);
                parameterTypes[i] = declared[i].getType();
                name.add(components[i].name + ":" + components[i].descriptor());
            }
            return new RecordWireType<>(
                    name.toString(), type, components, constructor(type, parameterTypes));
        } finally {
            recordPath.pop();
        }
    }

    private static Component component(
            Class<?> record, RecordComponent component, int index, Deque<Class<?>> recordPath) {
        Type generic = component.getGenericType();
        boolean optional = generic instanceof ParameterizedType p && p.getRawType() == Optional.class;
        WireType<?> wire;
        try {
            wire = WireTypes.forType(
                    optional ? ((ParameterizedType) generic).getActualTypeArguments()[0] : generic,
                    recordPath);
        } catch (WireFormatException e) {
            throw new WireFormatException("Cannot create a codec for record " + record.getName()
                    + ": component '" + component.getName() + "' of type "
                    + generic.getTypeName() + ": " + e.getMessage(), e);
        }
        MethodHandle accessor;
        try {
            accessor = MethodHandles.lookup().unreflect(accessible(record, component.getAccessor()));
        } catch (IllegalAccessException e) {
            throw inaccessible(record, e);
        }
        @SuppressWarnings("unchecked")
        WireType<Object> untyped = (WireType<Object>) wire;
        return new Component(component.getName(), (short) (index + 1), untyped, accessor,
                component.getType().isPrimitive(), optional);
    }

    private static MethodHandle constructor(Class<?> record, Class<?>[] parameterTypes) {
        try {
            Constructor<?> canonical = record.getDeclaredConstructor(parameterTypes);
            return MethodHandles.lookup().unreflectConstructor(accessible(record, canonical));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw inaccessible(record, e);
        }
    }

    private static <A extends AccessibleObject> A accessible(Class<?> record, A member) {
        try {
            member.trySetAccessible();
        } catch (SecurityException e) {
            throw inaccessible(record, e);
        }
        return member;
    }

    private static WireFormatException inaccessible(Class<?> record, Exception cause) {
        return new WireFormatException("Cannot create a codec for record " + record.getName()
                + ": its accessors and canonical constructor are not accessible to rpc-parallel"
                + " (if it is in a named module, open its package to dev.rpcparallel.api): "
                + cause.getMessage(), cause);
    }

    @Override
    public void write(CompactWriter out, R record) {
        out.enter();
        out.structBegin();
        for (Component component : components) {
            Object value = component.get(record);
            if (component.optional && value != null) {
                value = ((Optional<?>) value).orElse(null);
            }
            if (value == null) {
                continue;
            }
            out.fieldBegin(component.id, component.wire.valueType());
            try {
                component.wire.write(out, value);
            } catch (WireFormatException e) {
                throw new WireFormatException(inComponent(component) + e.getMessage(), e);
            }
        }
        out.fieldStop();
        out.structEnd();
        out.exit();
    }

    @Override
    public R read(CompactReader in) {
        in.enter();
        in.structBegin();
        Object[] values = new Object[components.length];
        for (byte type = in.readFieldHeader(); type != ValueType.STOP; type = in.readFieldHeader()) {
            int index = in.fieldId() - 1;
            if (index >= 0 && index < components.length) {
                Component component = components[index];
                if (type != component.wire.valueType()) {
                    throw new WireFormatException(inComponent(component) + "field " + in.fieldId()
                            + " is " + ValueType.name(type) + ", expected "
                            + ValueType.name(component.wire.valueType()));
                }
                try {
                    values[index] = component.wire.read(in);
                } catch (WireFormatException e) {
                    throw new WireFormatException(inComponent(component) + e.getMessage(), e);
                }
            } else {
                in.skip(type);
            }
        }
        in.structEnd();
        in.exit();
        for (int i = 0; i < components.length; i++) {
            Component component = components[i];
            if (component.optional) {
                values[i] = Optional.ofNullable(values[i]);
            } else if (values[i] == null && component.primitive) {
                throw new WireFormatException("record " + type.getName() + " has no value for primitive"
                        + " component '" + component.name + "' (field " + component.id + ")");
            }
        }
        return construct(values);
    }

    /**
     * Whether this wire type has adapted its method handles for generic calls, which happens at
     * the first value written or read (for tests: making a codec must not).
     */
    boolean adapted() {
        if (constructor != null) {
            return true;
        }
        for (Component component : components) {
            if (component.accessor != null) {
                return true;
            }
        }
        return false;
    }

    private R construct(Object[] values) {
        MethodHandle spreading = constructor;
        if (spreading == null) {
            // Two threads may both adapt it; either result is the same handle.
            spreading = canonicalConstructor
                    .asType(MethodType.genericMethodType(values.length))
                    .asSpreader(Object[].class, values.length);
            constructor = spreading;
        }
        try {
            return type.cast((Object) spreading.invokeExact(values));
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new WireFormatException("the constructor of record " + type.getName()
                    + " rejected the decoded values: " + e, e);
        }
    }

    private String inComponent(Component component) {
        return "component '" + component.name + "' of " + type.getName() + ": ";
    }

    /** One record component: how to read it from a record, and how it goes on the wire. */
    private static final class Component {
        final String name;
        final short id;
        final WireType<Object> wire;
        /** The accessor, a direct handle of its exact type. */
        final MethodHandle directAccessor;
        /** The accessor, as {@code (Object) -> Object}; made at the first write. */
        volatile MethodHandle accessor;
        final boolean primitive;
        final boolean optional;

        Component(String name, short id, WireType<Object> wire, MethodHandle directAccessor,
                boolean primitive, boolean optional) {
            this.name = name;
            this.id = id;
            this.wire = wire;
            this.directAccessor = directAccessor;
            this.primitive = primitive;
            this.optional = optional;
        }

        String descriptor() {
            return optional ? "optional<" + wire.name() + ">" : wire.name();
        }

        Object get(Object record) {
            MethodHandle generic = accessor;
            if (generic == null) {
                generic = directAccessor.asType(MethodType.methodType(Object.class, Object.class));
                accessor = generic;
            }
            try {
                return (Object) generic.invokeExact(record);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw new WireFormatException("the accessor of component '" + name + "' failed: " + e, e);
            }
        }
    }
}
