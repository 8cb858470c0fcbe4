package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every component of {@link RpcSettings} survives the trip to a worker. The components are found
 * by reflection: a component added to the record, and not written by the codec, fails here.
 */
class SettingsCodecTest {
    private static final RecordComponent[] COMPONENTS = RpcSettings.class.getRecordComponents();

    private static RpcSettings roundTrip(RpcSettings settings) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        SettingsCodec.write(settings, out);
        out.flush();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        RpcSettings read = SettingsCodec.read(in);
        assertThat(in.available()).as("bytes left after the settings").isZero();
        return read;
    }

    @Test
    void theDefaultsSurviveTheTrip() throws IOException {
        assertThat(roundTrip(RpcSettings.defaults())).isEqualTo(RpcSettings.defaults());
    }

    @Test
    void eachComponentChangedAloneSurvivesTheTrip() throws Exception {
        RpcSettings defaults = RpcSettings.defaults();
        for (int i = 0; i < COMPONENTS.length; i++) {
            RpcSettings changed = withChanged(defaults, i);
            assertThat(value(changed, i)).as(COMPONENTS[i].getName()).isNotEqualTo(value(defaults, i));
            assertThat(roundTrip(changed)).as(COMPONENTS[i].getName()).isEqualTo(changed);
        }
    }

    @Test
    void everyComponentChangedAtOnceSurvivesTheTrip() throws Exception {
        RpcSettings defaults = RpcSettings.defaults();
        RpcSettings changed = defaults;
        for (int i = 0; i < COMPONENTS.length; i++) {
            changed = withChanged(changed, i);
        }
        for (int i = 0; i < COMPONENTS.length; i++) {
            assertThat(value(changed, i)).as(COMPONENTS[i].getName()).isNotEqualTo(value(defaults, i));
        }
        assertThat(roundTrip(changed)).isEqualTo(changed);
    }

    @Test
    void settingsOfAnotherLayoutAreRefusedWithAClearMessage() {
        byte[] bytes = {(byte) (SettingsCodec.VERSION + 1), 0, 0};
        assertThatThrownBy(() -> SettingsCodec.read(new DataInputStream(new ByteArrayInputStream(bytes))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("layout version " + (SettingsCodec.VERSION + 1))
                .hasMessageContaining("must run the same rpc-parallel version");
    }

    /** {@code settings} with component {@code index} set to the first sample value it accepts that differs. */
    private static RpcSettings withChanged(RpcSettings settings, int index) throws Exception {
        Constructor<RpcSettings> canonical = RpcSettings.class.getDeclaredConstructor(
                Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        Object current = value(settings, index);
        List<String> refusals = new ArrayList<>();
        for (Object sample : samples(COMPONENTS[index].getType(), current)) {
            if (sample.equals(current)) {
                continue;
            }
            Object[] arguments = new Object[COMPONENTS.length];
            for (int i = 0; i < COMPONENTS.length; i++) {
                arguments[i] = i == index ? sample : value(settings, i);
            }
            try {
                return canonical.newInstance(arguments);
            } catch (InvocationTargetException e) {
                refusals.add(sample + ": " + e.getCause().getMessage());
            }
        }
        return fail("No sample value of " + COMPONENTS[index].getType().getSimpleName() + " fits component "
                + COMPONENTS[index].getName() + " (" + refusals + "): add one in samples()");
    }

    private static List<?> samples(Class<?> type, Object current) {
        if (type == String.class) {
            return List.of("changed-" + current, "10.1.2.3", "ssh://sample-host");
        }
        if (type == int.class) {
            int value = (Integer) current;
            return List.of(value + 1, 3 * 1024 * 1024 + 7);
        }
        if (type == long.class) {
            long value = (Long) current;
            return List.of(value + 1, 5L * 1024 * 1024 * 1024 + 3);
        }
        if (type == boolean.class) {
            return List.of(!(Boolean) current);
        }
        if (type == Duration.class) {
            // Nanoseconds included: the codec must not round to milliseconds.
            Duration value = current == null ? Duration.ofSeconds(3) : (Duration) current;
            return List.of(value.plusNanos(1_234_567), value.minusNanos(1_234_567), Duration.ofNanos(7_654_321));
        }
        if (type == TlsSettings.class) {
            return List.of(new TlsSettings("/keys/node.p12", "kéy, password=1", "/keys/trusted.p12", ""));
        }
        return fail("No sample values of type " + type.getName() + ": add them in samples() and encode the"
                + " component in SettingsCodec");
    }

    private static Object value(RpcSettings settings, int index) throws Exception {
        return COMPONENTS[index].getAccessor().invoke(settings);
    }
}
