package dev.rpcparallel.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The text forms of {@link RpcSettings} overrides ({@value RpcSettings#ENVIRONMENT_VARIABLE}):
 * a comma-separated list of {@code name=value}, durations with a unit and sizes with an optional
 * binary unit. Each parse error names the text and the form to write.
 */
final class SettingsText {
    private SettingsText() {}

    /**
     * The {@code name=value} entries of a comma-separated list, in order, names and values
     * trimmed, empty entries skipped.
     *
     * @throws IllegalArgumentException naming an entry without exactly one {@code =}, or a name
     *     given twice
     */
    static Map<String, String> entries(String list) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String entry : list.split(",", -1)) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("'" + entry.strip() + "' is not name=value");
            }
            String name = parts[0].strip();
            if (entries.putIfAbsent(name, parts[1].strip()) != null) {
                throw new IllegalArgumentException("'" + name + "' is given twice");
            }
        }
        return entries;
    }

    static Duration duration(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
            }
            if (value.endsWith("m")) {
                return Duration.ofSeconds(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 60));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: write 500ms, 10s or 2m");
    }

    /** A size in bytes: {@code 4194304}, {@code 4096k}, {@code 4MiB} (units k, m, g, KiB, MiB, GiB, b; any case). */
    static long size(String text, long largest) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (String[] suffix : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
                {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}}) {
            if (value.endsWith(suffix[0])) {
                value = value.substring(0, value.length() - suffix[0].length()).trim();
                unit = Long.parseLong(suffix[1]);
                break;
            }
        }
        if (!value.matches("[0-9]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a size in bytes: write 1048576, 1024k or 1m");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(value), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > largest) {
            throw new IllegalArgumentException("'" + text + "' is too large: the largest size is " + largest + " bytes"
                    + (largest == Integer.MAX_VALUE ? " (2g - 1)" : ""));
        }
        return bytes;
    }
}
