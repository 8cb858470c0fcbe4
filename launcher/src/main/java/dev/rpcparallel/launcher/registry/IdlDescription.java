package dev.rpcparallel.launcher.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry description in the terms of the wire, with no Java class name in it, so that a peer
 * in another language can compute and check it: the text whose hash is the registry fingerprint.
 *
 * <p>It is the {@linkplain PluginRegistry#description() description} (one line per worker type,
 * {@code ID NAME init(T) connect(T)}, then one line per function, two spaces then
 * {@code ID KIND NAME(T) -> T}) with each codec name rewritten to its Thrift type: a record
 * {@code record:com.example.Range(from:i64,to:i64)} is {@code struct(from:i64,to:i64)} (its
 * components as IDL fields, in field-id order); an enum {@code enum:com.example.Color} is
 * {@code string} (it travels as its constant's name); a Thrift-generated struct
 * {@code thrift:com.example.Work} is {@code struct Work} (its IDL name). Scalars, {@code list<T>},
 * {@code map<K,V>}, {@code optional<T>} and {@code void} are already Thrift's names; a codec of an
 * application's own keeps its name (its bytes travel as a binary). PROTOCOL.md specifies it.
 */
public final class IdlDescription {
    private static final String NAME = "[\\p{L}\\p{N}_$]+(?:\\.[\\p{L}\\p{N}_$]+)*";
    private static final Pattern RECORD = Pattern.compile("record:" + NAME + "\\(");
    private static final Pattern ENUM = Pattern.compile("enum:" + NAME);
    private static final Pattern THRIFT = Pattern.compile("thrift:(" + NAME + ")");

    private IdlDescription() {}

    /** The wire terms of a description (or of one line, or one signature). */
    public static String of(String description) {
        String text = RECORD.matcher(description).replaceAll("struct(");
        text = ENUM.matcher(text).replaceAll("string");
        Matcher thrift = THRIFT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (thrift.find()) {
            thrift.appendReplacement(out, Matcher.quoteReplacement("struct " + simpleName(thrift.group(1))));
        }
        thrift.appendTail(out);
        return out.toString();
    }

    /** A function's signature in wire terms: {@code (struct(a:i64)) -> string}. */
    public static String signature(RegisteredFunction function) {
        return of(function.function().signature());
    }

    /** The IDL name of a generated class: its binary name after the last '.' or '$'. */
    private static String simpleName(String binaryName) {
        return binaryName.substring(Math.max(binaryName.lastIndexOf('.'), binaryName.lastIndexOf('$')) + 1);
    }
}
