package dev.rpcparallel.launcher.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the known names close to a mistyped one. */
final class Suggestions {
    /** The largest number of single-character edits for a name still to count as close. */
    private static final int MAX_DISTANCE = 2;

    private Suggestions() {}

    /**
     * The names within {@value #MAX_DISTANCE} edits of {@code typed} (ignoring case), or that
     * start with it or it with them, closest first.
     */
    static List<String> closeTo(String typed, Collection<String> names) {
        String lower = typed.toLowerCase(Locale.ROOT);
        return names.stream()
                .filter(name -> {
                    String candidate = name.toLowerCase(Locale.ROOT);
                    return distance(lower, candidate) <= MAX_DISTANCE
                            || (lower.length() >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate)));
                })
                .sorted(Comparator.comparingInt((String name) -> distance(lower, name.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** The Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
