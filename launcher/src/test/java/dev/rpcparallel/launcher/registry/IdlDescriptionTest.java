package dev.rpcparallel.launcher.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fingerprint covers the registry in wire terms: no Java class name, every name, id, kind and Thrift type. */
class IdlDescriptionTest {

    @Test
    void codecNamesBecomeThriftTypes() {
        assertThat(IdlDescription.of("1 echo init(record:com.example.Range(from:i64,to:i64)) connect(enum:com.example.Color)\n"
                + "  1 rpc f(thrift:com.example.gen.Work) -> list<record:com.example.Outer$Inner(p:optional<enum:a.E>,"
                + "q:map<string,record:b.C(x:binary)>)>\n"
                + "  2 pipe g(void) -> stream of thrift:Top$Nested\n"))
                .isEqualTo("1 echo init(struct(from:i64,to:i64)) connect(string)\n"
                        + "  1 rpc f(struct Work) -> list<struct(p:optional<string>,q:map<string,struct(x:binary)>)>\n"
                        + "  2 pipe g(void) -> stream of struct Nested\n");
    }

    @Test
    void theFingerprintHashesTheWireTermsSoJavaClassNamesDoNotCountButTypesDo() {
        String here = "1 echo init(string) connect(string)\n  1 rpc add(record:com.example.Pair(left:i64,right:i64)) -> i64\n";
        String renamed = "1 echo init(string) connect(string)\n  1 rpc add(record:org.other.Sum(left:i64,right:i64)) -> i64\n";
        String retyped = "1 echo init(string) connect(string)\n  1 rpc add(record:com.example.Pair(left:i64,right:i32)) -> i64\n";
        assertThat(PluginRegistry.fingerprintOf(IdlDescription.of(renamed)))
                .isEqualTo(PluginRegistry.fingerprintOf(IdlDescription.of(here)));
        assertThat(PluginRegistry.fingerprintOf(IdlDescription.of(retyped)))
                .isNotEqualTo(PluginRegistry.fingerprintOf(IdlDescription.of(here)));
    }

    @Test
    void aRegistrysFingerprintIsTheHashOfItsDescriptionInWireTerms() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertThat(registry.description()).contains("record:dev.rpcparallel.launcher.testplugins.Echo$Pair(left:i64,right:i64)");
        String wire = IdlDescription.of(registry.description());
        assertThat(wire).contains("  5 rpc add(struct(left:i64,right:i64)) -> i64\n").doesNotContain("dev.rpcparallel");
        assertThat(registry.fingerprint()).isEqualTo(PluginRegistry.fingerprintOf(wire));
        assertThat(registry.require("echo").functions()).extracting(IdlDescription::signature)
                .startsWith("(string) -> string", "(i64) -> i64");
        assertThat(List.of(registry.fingerprint())).allMatch(f -> f.matches("[0-9a-f]{16}"));
    }
}
