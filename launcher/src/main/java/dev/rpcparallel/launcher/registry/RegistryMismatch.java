package dev.rpcparallel.launcher.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains why two processes' registries differ, from their {@linkplain PluginRegistry#description()
 * descriptions}: what a worker prints when its plugin set is not its master's.
 */
public final class RegistryMismatch {
    private RegistryMismatch() {}

    /**
     * A {@linkplain PluginRegistry#description() description} shortened for a mismatch report against
     * {@code other}: every type line, but the function lines only of the types whose functions
     * differ from (or are missing in) {@code other}; the others say that their functions agree.
     * So the types that differ, and their order, stay readable however many functions there are.
     */
    public static String describeAgainst(String description, String other) {
        Map<String, String> otherFunctions = new HashMap<>();
        for (TypeBlock type : typeBlocks(other)) {
            otherFunctions.put(type.name(), type.functions());
        }
        StringBuilder out = new StringBuilder();
        for (TypeBlock type : typeBlocks(description)) {
            if (type.functions().equals(otherFunctions.get(type.name()))) {
                long count = type.functions().lines().count();
                out.append(type.line()).append(" (").append(count).append(count == 1 ? " function" : " functions")
                        .append(", the same in both)\n");
            } else {
                out.append(type.line()).append('\n').append(type.functions());
            }
        }
        return out.toString();
    }

    /** One type of a description: its line, and its function lines (indented). */
    record TypeBlock(String line, String functions) {
        String name() {
            return typeName(line);
        }

        /** The block as the description has it: its line, then its function lines. */
        String text() {
            return line + '\n' + functions;
        }
    }

    /** The types of a description, in its order. */
    static List<TypeBlock> typeBlocks(String description) {
        List<TypeBlock> types = new ArrayList<>();
        String current = null;
        StringBuilder functions = new StringBuilder();
        for (String line : description.lines().toList()) {
            if (line.startsWith(" ")) {
                functions.append(line).append('\n');
                continue;
            }
            if (current != null) {
                types.add(new TypeBlock(current, functions.toString()));
            }
            current = line;
            functions.setLength(0);
        }
        if (current != null) {
            types.add(new TypeBlock(current, functions.toString()));
        }
        return types;
    }

    private static String typeName(String typeLine) {
        String[] parts = typeLine.split(" ", 3);
        return parts.length > 1 ? parts[1] : typeLine;
    }
}
